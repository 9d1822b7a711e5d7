import { describe, expect, test } from 'vitest';
import { createLogger, REDACT_PATHS, REDACTED } from '../../bot/safety/log-redaction.js';

function setup(level = 'info') {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    destination: {
      write(line: string) {
        lines.push(line);
      },
    },
  });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, parsed };
}

const NHS_SPACED = '401 023 2137';
const NHS_PLAIN = '4010232137';

describe('a message with an NHS number reaches the logs', () => {
  test('the message string does not contain the number', () => {
    const { logger, lines } = setup();
    logger.info(`user asked about ${NHS_SPACED} on the worklist`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(NHS_SPACED);
    expect(lines[0]).toContain('user asked about [NHS number] on the worklist');
  });

  test('a format argument does not leak the number', () => {
    const { logger, lines } = setup();
    logger.info('lookup for %s failed', NHS_PLAIN);
    expect(lines[0]).not.toContain(NHS_PLAIN);
    expect(lines[0]).toContain('lookup for [NHS number] failed');
  });

  test('a field outside the redacted list is masked, not dropped', () => {
    const { logger, parsed } = setup();
    logger.warn({ reason: `patient ${NHS_PLAIN} has no referral` }, 'search miss');
    expect(parsed()[0]).toMatchObject({ reason: 'patient [NHS number] has no referral', msg: 'search miss' });
  });

  test('an error message and stack do not leak the number', () => {
    const { logger, lines, parsed } = setup();
    logger.error({ err: new Error(`no referral for ${NHS_PLAIN}`) }, 'handler failed');
    expect(lines[0]).not.toContain(NHS_PLAIN);
    const err = parsed()[0]?.err as { message?: string; type?: string };
    expect(err.message).toBe('no referral for [NHS number]');
    expect(err.type).toBe('Error');
  });

  test('an error logged on its own does not leak the number', () => {
    const { logger, lines } = setup();
    logger.error(new Error(`bad ${NHS_SPACED}`));
    expect(lines[0]).not.toContain(NHS_SPACED);
    expect(lines[0]).toContain('[NHS number]');
  });

  test('child logger bindings are masked too', () => {
    const { logger, lines } = setup();
    logger.child({ topic: `case ${NHS_PLAIN}` }).info('turn started');
    expect(lines[0]).not.toContain(NHS_PLAIN);
    expect(lines[0]).toContain('case [NHS number]');
  });

  test("a grandchild logger's bindings are masked too", () => {
    const { logger, lines } = setup();
    logger
      .child({ route: 'search' })
      .child({ topic: `case ${NHS_SPACED}` })
      .info('turn started');
    expect(lines[0]).not.toContain(NHS_SPACED);
    expect(lines[0]).toContain('"route":"search"');
  });
});

describe('a message with a name and a date of birth reaches the logs', () => {
  test('neither the name nor the date appears', () => {
    const { logger, lines } = setup();
    logger.info({ detail: 'Mrs Jane Smith 12/03/1954 was deferred' }, 'Mrs Jane Smith, DOB 12/03/1954');
    expect(lines[0]).not.toContain('Jane Smith');
    expect(lines[0]).not.toContain('12/03/1954');
    expect(lines[0]).toContain('[name] [date of birth] was deferred');
  });

  test('a name and a date passed as separate format arguments are masked once joined', () => {
    const { logger, lines } = setup();
    logger.info('patient %s %s', 'Mrs Jane Smith', '12/03/1954');
    expect(lines[0]).not.toContain('Jane Smith');
    expect(lines[0]).not.toContain('12/03/1954');
  });
});

describe('a message with a name and a postcode reaches the logs', () => {
  test('neither the name nor the postcode appears', () => {
    const { logger, lines } = setup();
    logger.info({ note: 'John Smith SE18 4QH' }, 'lives at 12 High St, BR6 8ND');
    expect(lines[0]).not.toContain('John Smith');
    expect(lines[0]).not.toContain('SE18 4QH');
    expect(lines[0]).not.toContain('BR6 8ND');
  });
});

describe('message text fields are redacted whatever they contain', () => {
  test('an incoming activity keeps its type and ids but loses its text and card values', () => {
    const { logger, lines, parsed } = setup();
    const activity = {
      type: 'message',
      id: 'a1',
      text: 'how do I defer a referral?',
      value: { verb: 'search', query: 'deferred' },
      from: { id: 'u1', name: 'Dr Alex Example' },
    };
    logger.info({ activity }, 'message received');
    const line = parsed()[0] as { activity: Record<string, unknown> };
    expect(line.activity).toMatchObject({ type: 'message', id: 'a1', text: REDACTED, value: REDACTED });
    expect((line.activity.from as Record<string, unknown>).name).toBe(REDACTED);
    expect(lines[0]).not.toContain('defer a referral');
    expect(lines[0]).not.toContain('Dr Alex Example');
  });

  test.each([
    ['text', { text: 'secret question' }],
    ['query', { query: 'secret question' }],
    ['value', { value: 'secret question' }],
    ['utterance', { utterance: 'secret question' }],
    ['a nested text', { turn: { text: 'secret question' } }],
    ['a nested query', { search: { query: 'secret question' } }],
  ])('%s is replaced with the redaction marker', (_label, object) => {
    const { logger, lines } = setup();
    logger.info(object, 'event');
    expect(lines[0]).not.toContain('secret question');
    expect(lines[0]).toContain(REDACTED);
  });

  test('the redaction list covers the fields the brief names', () => {
    expect(REDACT_PATHS).toEqual(
      expect.arrayContaining(['text', 'activity.text', '*.text', 'value', 'query', 'activity.value']),
    );
  });
});

describe('ordinary log lines are left alone', () => {
  test('a line without patient details keeps its message and fields', () => {
    const { logger, parsed } = setup();
    logger.info({ route: 'downtime', ms: 12, deferredOn: '2026-03-02' }, 'reply sent for Bromley RA');
    expect(parsed()[0]).toMatchObject({
      route: 'downtime',
      ms: 12,
      deferredOn: '2026-03-02',
      msg: 'reply sent for Bromley RA',
      level: 30,
    });
  });

  test('the level setting still filters lines', () => {
    const { logger, lines } = setup('warn');
    logger.info('not written');
    logger.warn('written');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('written');
  });
});
