/**
 * pino settings that keep patient data out of the logs, in two layers:
 * 1. `redact` removes the fields that carry what a user typed (activity text, card values, search
 *    queries), whatever they contain;
 * 2. every log object, child binding and message string is run through `maskDeep`, so an NHS
 *    number, a name with a date of birth or a name with a postcode that reaches a log line by any
 *    other route (an error message, a format argument) is replaced by a marker.
 */
import { format } from 'node:util';
import {
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type Level,
  type LevelWithSilent,
  type Logger,
  type LoggerOptions,
  pino,
} from 'pino';
import { maskDeep } from '../../knowledge/safety/pii.js';

export const REDACTED = '[redacted]';

/** Fields that hold user-typed text in Bot Framework activities, invokes and our own log calls. */
export const REDACT_PATHS: readonly string[] = Object.freeze([
  'text',
  '*.text',
  '*.*.text',
  'activity.text',
  'activity.value',
  'activity.attachments',
  'activity.channelData',
  'activity.from.name',
  'from.name',
  'value',
  '*.value',
  'query',
  '*.query',
  'queryText',
  '*.queryText',
  'utterance',
  '*.utterance',
  'input',
  '*.input',
  'body.text',
  'body.value',
  'req.body',
  'request.body',
  'attachments',
  'replyText',
  'userText',
]);

/** Masks the message and arguments before pino interpolates them, then masks the result as a whole. */
function maskLogArgs(args: unknown[]): unknown[] {
  const masked = args.map((arg) => maskDeep(arg));
  const first = masked[0];
  // An identifier split across format arguments ("%s %s", name, date) only shows up once joined.
  if (typeof first === 'string' && masked.length > 1) {
    return [maskDeep(format(first, ...masked.slice(1)))];
  }
  const second = masked[1];
  if (typeof first === 'object' && first !== null && typeof second === 'string' && masked.length > 2) {
    return [first, maskDeep(format(second, ...masked.slice(2)))];
  }
  return masked;
}

/** The redaction half of the logger options, for callers that build their own pino instance. */
export function redactionOptions(): Pick<LoggerOptions, 'redact' | 'hooks' | 'formatters'> {
  return {
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    hooks: {
      logMethod(args, method) {
        method.apply(this, maskLogArgs(args) as Parameters<typeof method>);
      },
    },
    formatters: {
      // Catches properties merged in after the hook, such as mixin output.
      log: (object) => maskDeep(object),
      bindings: (bindings) => maskDeep(bindings),
    },
  };
}

export interface CreateLoggerOptions {
  level: Level | LevelWithSilent | string;
  /** Where lines go; stdout when omitted. Tests pass a stream to capture lines. */
  destination?: DestinationStream;
  /** Fixed fields on every line, e.g. `{ service: 'ers-helper' }`. */
  base?: Record<string, unknown>;
}

/**
 * The app's logger: JSON lines with message text redacted and identifiers masked.
 *
 * @example
 * const logger = createLogger({ level: config.logLevel });
 * logger.info({ activity }, 'message received'); // activity.text is "[redacted]"
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const settings: LoggerOptions = {
    level: options.level,
    ...(options.base === undefined ? {} : { base: options.base }),
    ...redactionOptions(),
  };
  const logger = options.destination === undefined ? pino(settings) : pino(settings, options.destination);
  return maskChildBindings(logger);
}

/**
 * pino drops the `bindings` formatter for child loggers, so child bindings are masked here instead.
 * Children are created with `Object.create(parent)`, so the wrapper set on the root reaches every
 * descendant.
 */
function maskChildBindings(logger: Logger): Logger {
  const child = logger.child;
  logger.child = function maskedChild<ChildLevels extends string = never>(
    this: Logger,
    bindings: Bindings,
    childOptions?: ChildLoggerOptions<ChildLevels>,
  ): Logger<ChildLevels> {
    return child.call<Logger, [Bindings, ChildLoggerOptions<ChildLevels> | undefined], Logger<ChildLevels>>(
      this,
      maskDeep(bindings),
      childOptions,
    );
  };
  return logger;
}
