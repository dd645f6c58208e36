import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, realpathSync, type Stats } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { describeBytes, INPUT_LIMITS, type InputLimits } from './input-limits.js';
import type { Problem } from './problem.js';

export interface ReadOptions {
  /** How problems name the file (e.g. relative to the working folder); default: the path. */
  readonly display?: string;
  /**
   * Folders the file must really be in once symbolic links are resolved (the rules and profiles
   * folders); absent: anywhere.
   */
  readonly within?: readonly string[];
  readonly limits?: InputLimits;
}

/**
 * Reads a user's text file without ever hanging or reading without bound: only a regular file is read
 * (a FIFO, a device or a folder is refused without blocking on it), symbolic links are resolved and
 * must stay inside `within`, the size is capped, and the bytes must be valid UTF-8 (an invalid byte is
 * reported at its line and column, never silently replaced).
 */
export function readTextFile(path: string, options: ReadOptions = {}): { readonly text: string } | Problem[] {
  const file = options.display ?? path;
  const limits = options.limits ?? INPUT_LIMITS;
  const fail = (message: string, line = 0, column = 0): Problem[] => [{ file, line, column, rule: '-', severity: 'error', check: 'io', message }];
  const real = resolveLinks(path, options.within);
  if ('problem' in real) return fail(real.problem);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    fd = openSync(real.path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    return fail(ioReason(error));
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return fail(`not a regular file (${kindOf(stats)}); only regular files are read`);
    if (stats.size > limits.maxBytes) return fail(`file too large: ${describeBytes(stats.size)} (limit ${describeBytes(limits.maxBytes)})`);
    const bytes = readAtMost(fd, limits.maxBytes + 1);
    if (bytes.length > limits.maxBytes) return fail(`file too large: over ${describeBytes(limits.maxBytes)} (it grew while being read)`);
    return decodeUtf8(bytes, file);
  } catch (error) {
    return fail(ioReason(error));
  } finally {
    closeSync(fd);
  }
}

/** Strict UTF-8 decoding: the first invalid byte becomes a problem at its line and column. */
export function decodeUtf8(bytes: Uint8Array, file: string): { readonly text: string } | Problem[] {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset)).replace(/^\uFEFF/, '');
    const lines = before.split('\n');
    const byte = bytes[offset] ?? 0;
    return [{
      file, line: lines.length, column: [...lines.at(-1)!].length + 1, rule: '-', severity: 'error', check: 'encoding',
      message: `invalid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')} at offset ${offset}); save the file as UTF-8`,
    }];
  }
}

/** Offset of the first byte that does not belong to a valid UTF-8 sequence (bytes.length when none). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const [length, min, max] = b < 0x80 ? [1, 0, 0] : b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf] : b === 0xe0 ? [3, 0xa0, 0xbf] : b === 0xed ? [3, 0x80, 0x9f] : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf] : b === 0xf0 ? [4, 0x90, 0xbf] : b === 0xf4 ? [4, 0x80, 0x8f] : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf] : [0, 0, 0];
    if (length === 0 || i + length > bytes.length) return i;
    // The second byte has a narrowed range (no overlong forms, no surrogates); the rest are plain continuations.
    if (length > 1 && (bytes[i + 1]! < min || bytes[i + 1]! > max)) return i;
    for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return i;
}

/** The file's real path, or why it cannot be used (dangling link, loop, outside the allowed folders). */
function resolveLinks(path: string, within: readonly string[] | undefined): { path: string } | { problem: string } {
  let link: string | undefined;
  try {
    if (lstatSync(path).isSymbolicLink()) link = readlinkSync(path);
  } catch (error) {
    return { problem: ioReason(error) };
  }
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { problem: `symbolic link loop${link === undefined ? '' : ` (${path} -> ${link})`}` };
    if (code === 'ENOENT' && link !== undefined) return { problem: `dangling symbolic link: its target ${link} does not exist` };
    return { problem: ioReason(error) };
  }
  if (within !== undefined && !within.some((root) => isInside(real, root))) {
    return { problem: `symbolic link leaves the rule-set folders: it points to ${real}; links may only point inside ${within.join(' or ')}` };
  }
  return { path: real };
}

/** True when `path` is `root` or inside it; both are compared after resolving links. */
export function isInside(path: string, root: string): boolean {
  let realRoot = root;
  try {
    realRoot = realpathSync(root);
  } catch {
    // a root that does not exist contains nothing but itself
  }
  const rel = relative(realRoot, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function readAtMost(fd: number, max: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < max) {
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, max - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a file';
}

export function ioReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EISDIR':
      return 'not a regular file (a folder); only regular files are read';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
