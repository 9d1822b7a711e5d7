import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../bot/project-root.js';

/** Typed access to the shared Bot Framework protocol helpers in ../shared/tools/botwire.mjs. */
export interface Activity {
  type?: string;
  text?: string;
  attachments?: { contentType: string; content?: unknown }[];
  [key: string]: unknown;
}
export interface Received {
  method: string;
  path: string;
  activity: Activity;
  at: number;
}
export interface Connector {
  url: string;
  received(conversationId: string): Received[];
  all(): Map<string, Received[]>;
  onPost(fn: (conversationId: string) => void): void;
  failNext(conversationId: string, n: number): void;
  close(): Promise<void>;
}
export interface RunningBot {
  base: string;
  url: string;
  log(): string;
  stop(): void;
}
export interface Botwire {
  startConnector(options?: { fail429?: number; port?: number }): Promise<Connector>;
  message(
    text: string | undefined,
    options?: {
      conversationId?: string;
      serviceUrl?: string;
      conversationType?: string;
      value?: unknown;
      from?: unknown;
    },
  ): Activity & { conversation: { id: string } };
  post(url: string, activity: unknown, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  readable(activities: Activity[]): string;
  settle(connector: Connector, conversationId: string, quietMs?: number, maxMs?: number): Promise<Activity[]>;
  freePort(): Promise<number>;
  startBot(projectDir: string, options?: { env?: Record<string, string>; timeoutMs?: number }): Promise<RunningBot>;
  teamInstall(teamId: string, serviceUrl: string, teamName?: string): Activity[];
}

export const SHARED_DIR = path.resolve(projectRoot(), '..', 'shared');

export async function loadBotwire(): Promise<Botwire> {
  return (await import(pathToFileURL(path.join(SHARED_DIR, 'tools', 'botwire.mjs')).href)) as Botwire;
}
