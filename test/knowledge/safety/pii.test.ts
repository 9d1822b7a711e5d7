import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  detectPii,
  isValidNhsNumber,
  maskDeep,
  maskPii,
  PII_WARNING,
  type PiiKind,
} from '../../../knowledge/safety/pii.js';

function kindsOf(text: string): PiiKind[] {
  return detectPii(text).kinds;
}

/** Builds a valid NHS number from nine digits, or undefined when no check digit exists. */
function withCheckDigit(nine: readonly number[]): string | undefined {
  const sum = nine.reduce((total, digit, i) => total + digit * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  const digits = nine.join('') + String(check === 11 ? 0 : check);
  return /^(\d)\1{9}$/.test(digits) ? undefined : digits;
}

const NHS_STYLES = [
  'plain',
  'spaced',
  'dashed',
  'dotted',
  'slashed',
  'underscored',
  'digit by digit',
  '3-4-3',
  '5-5',
] as const;
type NhsStyle = (typeof NHS_STYLES)[number];

function formatNhs(digits: string, style: NhsStyle): string {
  const groups = (sizes: number[], sep: string) => {
    const parts: string[] = [];
    let at = 0;
    for (const n of sizes) {
      parts.push(digits.slice(at, at + n));
      at += n;
    }
    return parts.join(sep);
  };
  switch (style) {
    case 'plain':
      return digits;
    case 'spaced':
      return groups([3, 3, 4], ' ');
    case 'dashed':
      return groups([3, 3, 4], '-');
    case 'dotted':
      return groups([3, 3, 4], '.');
    case 'slashed':
      return groups([3, 3, 4], '/');
    case 'underscored':
      return groups([3, 3, 4], '_');
    case 'digit by digit':
      return digits.split('').join(' ');
    case '3-4-3':
      return groups([3, 4, 3], ' ');
    case '5-5':
      return groups([5, 5], ' ');
  }
}

describe('checking an NHS number', () => {
  test('accepts 401 023 2137, whose modulus 11 check digit is 7', () => {
    expect(isValidNhsNumber('4010232137')).toBe(true);
  });

  test('rejects the same number with any other last digit', () => {
    for (const last of '012345689') {
      expect(isValidNhsNumber(`401023213${last}`)).toBe(false);
    }
  });

  test('rejects numbers whose check digit would be 10', () => {
    // 1,0,0,0,0,0,0,0,1 weighted: 10 + 2 = 12, 12 mod 11 = 1, 11 - 1 = 10.
    for (let last = 0; last <= 9; last++) {
      expect(isValidNhsNumber(`100000001${last}`)).toBe(false);
    }
  });

  test('rejects placeholders made of one repeated digit and wrong lengths', () => {
    expect(isValidNhsNumber('0000000000')).toBe(false);
    expect(isValidNhsNumber('1111111111')).toBe(false);
    expect(isValidNhsNumber('401023213')).toBe(false);
    expect(isValidNhsNumber('40102321370')).toBe(false);
  });
});

describe('a user pastes an NHS number into the chat', () => {
  test.each([
    ['plain inside a sentence', 'Can you check 4010232137 for me, it was deferred'],
    ['spaced inside a sentence', 'NHS no 401 023 2137 has been sitting on the worklist'],
    ['dashed inside a sentence', 'patient 401-023-2137 rejected by PRUH'],
    ['with a colon and full stop', 'NHS number: 4010232137.'],
    ['in brackets', 'the referral (401 023 2137) was returned'],
    ['at the start of the message', '401 023 2137 deferred to provider'],
    ['right after a letter', 'NHS#4010232137'],
    ['on its own line', 'Hi\n401-023-2137\nthanks'],
    ['two numbers separated by a space', '4010232137 9434765919'],
  ])('flags a valid number written %s', (_label, text) => {
    expect(kindsOf(text)).toContain('nhs-number');
  });

  test('finds both numbers when two are pasted side by side', () => {
    const spans = detectPii('4010232137 9434765919').spans.filter((s) => s.kind === 'nhs-number');
    expect(spans).toHaveLength(2);
  });

  test('masking keeps the rest of the sentence word for word', () => {
    expect(maskPii('NHS no 401 023 2137 has been sitting on the worklist')).toBe(
      'NHS no [NHS number] has been sitting on the worklist',
    );
    expect(maskPii('patient 401-023-2137 rejected by PRUH')).toBe('patient [NHS number] rejected by PRUH');
  });

  test('reports the exact span of the number', () => {
    const text = 'check 401 023 2137 please';
    const [span] = detectPii(text).spans;
    expect(span).toEqual({ start: 6, end: 18, kind: 'nhs-number' });
  });
});

describe('numbers that are not NHS numbers', () => {
  test.each([
    ['a failed check digit', 'is 401 023 2138 right?'],
    ['a failed check digit, plain', 'ref 4010232130'],
    ['the Bexley, Greenwich and Lewisham helpline', 'Call 0208 315 8702 for help'],
    ['the Bromley helpline', 'phone 020 8176 5400 about the referral'],
    ['the national service desk', 'ring 0345 60 88 88 8 if e-RS is down'],
    ['a 12-digit UBRN', 'UBRN 000123456789 was cancelled'],
    ['a 12-digit UBRN in groups of four', 'UBRN 0001 2345 6789 was cancelled'],
    ['a 12-digit number that contains a valid NHS number', 'ref 404010232137'],
    ['an 11-digit number that starts with a valid NHS number', 'ref 40102321370'],
    ['a date', 'deferred on 02/03/2026'],
    ['an ISO date and a time', 'sent 2026-03-02 10:45'],
  ])('does not flag %s', (_label, text) => {
    expect(kindsOf(text)).not.toContain('nhs-number');
  });
});

describe('dates of birth, names and postcodes that identify a patient', () => {
  test.each<[string, PiiKind[]]>([
    ['DOB 12/03/1954', ['date-of-birth']],
    ['DOB: 12/03/1954', ['date-of-birth']],
    ['born 12.3.54', ['date-of-birth']],
    ['was born on 3rd March 1954', ['date-of-birth']],
    ['patient d.o.b. 1/2/1960 is wrong', ['date-of-birth']],
    ['date of birth 1954-03-12', ['date-of-birth']],
    ['seen 12/03/1954 (DOB) last week', ['date-of-birth']],
    ['Mrs Jane Smith 12/03/1954', ['date-of-birth', 'name']],
    ['Mr J. Patel, 12 March 1954', ['date-of-birth', 'name']],
    ['Jane Smith 12/03/1954', ['date-of-birth', 'name']],
    ['John Smith SE18 4QH', ['postcode', 'name']],
    ['lives at 12 High St, BR6 8ND', ['postcode', 'address']],
    ['Mr John Smith, 12 High Street, Bromley, BR6 8ND', ['postcode', 'address', 'name']],
    ['Mrs Smith, NHS 4010232137, asked about her referral', ['nhs-number', 'name']],
    ['Mrs J. Smith (DOB: 3rd March 1954) SE18 4QH', ['date-of-birth', 'postcode', 'name']],
    ['Hi, Mary Jones DOB 1.1.1950 referred to Kings', ['date-of-birth', 'name']],
    ["Sarah O'Brien, d.o.b 4 Jan 1948", ['date-of-birth', 'name']],
    ['Mrs Smith at Flat 3, 10 Church Road, Sidcup DA14 6LT', ['postcode', 'address', 'name']],
    ['Patient John Smith 4010232137', ['nhs-number', 'name']],
  ])('flags %j', (text, kinds) => {
    expect(kindsOf(text)).toEqual(kinds);
  });

  test('masks each identifier with its own marker and leaves the question readable', () => {
    expect(maskPii('Mrs Jane Smith 12/03/1954 was deferred, what now?')).toBe(
      '[name] [date of birth] was deferred, what now?',
    );
    expect(maskPii('John Smith SE18 4QH needs an appointment')).toBe('[name] [postcode] needs an appointment');
    expect(maskPii('lives at 12 High St, BR6 8ND')).toBe('lives at [address], [postcode]');
    expect(maskPii('patient DOB 12/03/1954 rejected')).toBe('patient DOB [date of birth] rejected');
    expect(maskPii('Patient John Smith 4010232137')).toBe('Patient [name] [NHS number]');
  });

  test("a street name is not mistaken for the patient's name", () => {
    expect(maskPii('Mrs Smith at Flat 3, 10 Church Road, Sidcup DA14 6LT')).toBe(
      '[name] at [address], Sidcup [postcode]',
    );
  });
});

describe('ordinary e-RS questions do not trigger the warning', () => {
  test.each([
    'My referral was deferred on 2 March 2026, what should I do?',
    'The PRUH rejected it on 12/03/2026',
    'Bromley RA referral deferred 12/03/2026',
    'patient DOB wrong on spine',
    'The DOB is wrong on the Spine, who do I contact?',
    'On 12/03/2026 DOB was wrong on the Spine',
    'Dr Patel deferred on 2 March 2026',
    'Referral on 12/03/2026 for Mrs Smith',
    'Advice and Guidance 12/03/2026',
    'Sent on 2026-03-02 to QEH',
    'Queen Elizabeth Hospital SE18 4QH',
    'PRUH is at BR6 8ND',
    'what is the postcode SE18 4QH for?',
    'Dr Smith asked about the Bromley RA',
    'e-RS was down from 09:00 to 11:30 on Monday 2 March 2026',
    'My patient doesn\u2019t have an NHS number',
    'UBRN 000123456789 shows as cancelled',
    'Call 020 8176 5400',
    'The Downtime Protocol 12/03/2026',
    'Referral for Jane Smith, 12/03/2026',
    'Mr Patel rang on 03/03/2026 about his referral',
    'Greenwich RA returned it 12/03/2026',
    'St Thomas SE1 7EH',
    "Guy's Hospital SE1 9RT",
    'e-RS Information Pack v4.1, October 2025',
  ])('%j', (text) => {
    expect(detectPii(text)).toEqual({ found: false, kinds: [], spans: [] });
    expect(maskPii(text)).toBe(text);
  });
});

describe('the warning shown to the user', () => {
  test('says the message looks identifiable, that Teams is not the place, and to delete it', () => {
    expect(PII_WARNING).toMatch(/identifiable/);
    expect(PII_WARNING).toMatch(/Teams chats are not the place for patient details/);
    expect(PII_WARNING).toMatch(/delete the message/);
    expect(PII_WARNING.split(/(?<=[.!?])\s+/).length).toBeLessThanOrEqual(2);
  });
});

describe('masking log objects and stored records', () => {
  test('masks every string in nested objects and arrays, keeping keys and other values', () => {
    const record = {
      id: 42,
      at: new Date('2026-03-02T10:00:00Z'),
      notes: ['fine', 'NHS 401 023 2137'],
      nested: { text: 'Mrs Jane Smith 12/03/1954', ok: true, none: null },
    };
    const masked = maskDeep(record);
    expect(masked).toEqual({
      id: 42,
      at: new Date('2026-03-02T10:00:00Z'),
      notes: ['fine', 'NHS [NHS number]'],
      nested: { text: '[name] [date of birth]', ok: true, none: null },
    });
    expect(record.notes[1]).toBe('NHS 401 023 2137');
  });

  test('keeps errors as errors with their message and stack masked', () => {
    const err = new Error('lookup failed for 4010232137');
    const masked = maskDeep({ err }).err;
    expect(masked).toBeInstanceOf(Error);
    expect(masked.message).toBe('lookup failed for [NHS number]');
    expect(masked.stack ?? '').not.toContain('4010232137');
  });

  test('copes with objects that refer to themselves', () => {
    const loop: { text: string; self?: unknown } = { text: '4010232137' };
    loop.self = loop;
    const masked = maskDeep(loop);
    expect(masked.text).toBe('[NHS number]');
    expect(masked.self).toBe(masked);
  });

  test('masking twice gives the same result as masking once', () => {
    const text = 'Mrs J. Smith (DOB: 3rd March 1954) SE18 4QH, NHS 401 023 2137';
    expect(maskPii(maskPii(text))).toBe(maskPii(text));
  });
});

describe('a very long or hostile message', () => {
  test.each([
    ['capitalised words', `${'Aaaa '.repeat(400)}12/03/1954`],
    ['repeated titles', `${'Mr '.repeat(700)}DOB 1/1/1950`],
    ['digit groups', `${'1 '.repeat(1000)}`],
    ['dashed digits', `${'1-'.repeat(1000)}x`],
    ['name pairs before a postcode', `${'Aa Bb '.repeat(350)}SE18 4QH`],
  ])('is scanned quickly (%s)', (_label, text) => {
    const started = performance.now();
    detectPii(text);
    expect(performance.now() - started).toBeLessThan(250);
  });
});

describe('any valid NHS number in any format, anywhere in a message', () => {
  const validNhs = fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
    .map(withCheckDigit)
    .filter((d): d is string => d !== undefined);
  const style = fc.constantFrom(...NHS_STYLES);
  // Surrounding text without digits, so any digits in the output can only come from the number.
  const filler = fc.string({ unit: fc.constantFrom(...'abcXYZ .,;:!?()\n\t-/\'"é£'.split('')), maxLength: 40 });

  test('is detected and masked, and the masked text never contains its digits', () => {
    fc.assert(
      fc.property(validNhs, style, filler, filler, (digits, how, prefix, suffix) => {
        const written = formatNhs(digits, how);
        const text = `${prefix}${written}${suffix}`;
        const detection = detectPii(text);
        expect(detection.kinds).toContain('nhs-number');
        const masked = maskPii(text);
        expect(masked).toContain('[NHS number]');
        expect(masked).not.toContain(written);
        expect(masked.replace(/[^0-9]/g, '')).toBe('');
      }),
      { numRuns: 500 },
    );
  });

  test('a number with a wrong check digit is left alone', () => {
    fc.assert(
      fc.property(validNhs, style, fc.integer({ min: 1, max: 9 }), (digits, how, shift) => {
        const wrongLast = String((Number(digits[9]) + shift) % 10);
        const text = `ref ${formatNhs(digits.slice(0, 9) + wrongLast, how)} deferred`;
        expect(kindsOf(text)).not.toContain('nhs-number');
      }),
      { numRuns: 300 },
    );
  });
});

// The forms found by the security review (security-and-faults C1 and M5): each was accepted as a
// reminder label or announcement, or went through chat with no warning.
describe('identifiers written the way people actually type them', () => {
  test.each<[string, PiiKind]>([
    ['Mrs Smith 943.476.5919', 'nhs-number'],
    ['nhs number 943.476.5919 pds icon red', 'nhs-number'],
    ['943/476/5919', 'nhs-number'],
    ['943_476_5919', 'nhs-number'],
    ['J Smith 9 4 3 4 7 6 5 9 1 9', 'nhs-number'],
    ['943 4765 919', 'nhs-number'],
    ['94347 65919', 'nhs-number'],
    ['(943) 476-5919', 'nhs-number'],
    ['\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669', 'nhs-number'],
    ['\u096F\u096A\u0969\u096A\u096D\u096C\u096B\u096F\u0967\u096F', 'nhs-number'],
    ['ring Jane Smith 07700 900123', 'phone-number'],
    ['please call Jane Smith on 07700 900123', 'phone-number'],
    ['mr patel mobile +44 7700 900123', 'phone-number'],
    ['her mobile is 07700900123', 'phone-number'],
    ['+447700900123', 'phone-number'],
    ['Jane Smith on 020 7946 0018', 'phone-number'],
    ["Mr Patel's home number is (020) 7946 0018", 'phone-number'],
    ['her home number 0161 496 0000', 'phone-number'],
    ['Jane Smith 12 Acacia Avenue', 'address'],
    ['smith jane 1/2/1950', 'date-of-birth'],
    ['Pt: SMITH, Jane 01.02.1950', 'date-of-birth'],
    ['referral for 01/02/1950', 'date-of-birth'],
    ['her postcode SE1 7EH, NHS 943.476.5919', 'postcode'],
  ])('flags %j', (text, kind) => {
    expect(kindsOf(text)).toContain(kind);
  });

  test('masks the name with the identifier, whatever its case', () => {
    expect(maskPii('smith jane 1/2/1950')).toBe('[name] [date of birth]');
    expect(maskPii('Pt: SMITH, Jane 01.02.1950')).toBe('Pt: [name] [date of birth]');
    expect(maskPii('please call Jane Smith on 07700 900123')).toBe('please call [name] on [phone number]');
    expect(maskPii('Jane Smith 12 Acacia Avenue')).toBe('[name] [address]');
    expect(maskPii('mr patel mobile +44 7700 900123')).toBe('mr patel mobile [phone number]');
  });

  test('an NHS number in Arabic-Indic digits is masked without leaving a digit behind', () => {
    const text = 'number \u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669 rejected';
    expect(maskPii(text)).toBe('number [NHS number] rejected');
  });

  test('a name next to an identifier masked already is masked too', () => {
    expect(maskPii('patient Mrs Jane Smith [date of birth]')).toBe('patient [name] [date of birth]');
  });
});

describe('numbers and places in ordinary questions are still left alone', () => {
  test.each([
    'Call 0208 315 8702 for help',
    'ring 0345 60 88 88 8 if e-RS is down',
    'the Bromley number is 020 8176 5400',
    'Call the service desk on 0345 60 88 88 8',
    'UBRN 0001 2345 6789 was cancelled',
    'UBRN 000 123 456 789 was cancelled',
    'e-RS was down from 09:00 to 11:30 on Monday 2 March 2026',
    'deferred 12.03.2026 and again 19.03.2026',
    'The pack v4.1 says 14 days, step 3.2',
    'referred on 2 March 2026, 10 working days ago',
    'Dr Smith on 020 8176 5400 said to ring the hub',
  ])('%j', (text) => {
    expect(detectPii(text).kinds.filter((k) => k !== 'name')).toEqual([]);
  });
});
