import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Problem } from '../config/problem.js';
import { INPUT_LIMITS } from '../config/input-limits.js';
import { ioReason, isInside, readTextFile } from '../config/text-file.js';

/** A YAML file found under a rule-set folder. */
export interface ListedFile {
  /** The path as found (under its root, links not resolved). */
  readonly path: string;
  /**
   * The file's name relative to its root, prefixed by the root's label (e.g. `rules/gates.yaml`): the
   * same wherever the command runs and whichever way the folder was named, so it can key the
   * rule-set hash.
   */
  readonly key: string;
  /** Folders its links may resolve into. */
  readonly within: readonly string[];
}

export interface Listing {
  readonly files: readonly ListedFile[];
  readonly problems: readonly Problem[];
}

const YAML_NAME = /\.ya?ml$/i;

/**
 * Lists the YAML files under the given files or folders (recursively, sorted, hidden entries skipped).
 * Never follows a link out of the folders given, never loops on a folder link, and never stats its
 * way into an exception: a link that cannot be resolved is listed so that reading it reports why.
 *
 * `labels` name the roots in keys (default: each root's folder name).
 */
/** Policy test files (`quantum-trader test`) live beside the rules but are not part of the rule set. */
export const POLICY_TEST_FILE = /\.test\.ya?ml$/i;

export function listRuleFiles(roots: readonly string[], display: (path: string) => string, labels?: readonly string[]): Listing {
  const files: ListedFile[] = [];
  const problems: Problem[] = [];
  const seenFiles = new Set<string>();
  const seenFolders = new Set<string>();
  let seen = 0;
  const folders = roots.filter((root) => isFolder(root));
  const within = [...folders, ...roots.filter((root) => !folders.includes(root)).map((file) => dirname(file))];
  const fail = (path: string, message: string) => problems.push({ file: display(path), line: 0, column: 0, rule: '-', severity: 'error', check: 'io', message });

  const visitFolder = (folder: string, root: string, label: string): void => {
    let real: string;
    try {
      real = realpathSync(folder);
    } catch (error) {
      fail(folder, ioReason(error));
      return;
    }
    if (!within.some((allowed) => isInside(real, allowed))) {
      fail(folder, `symbolic link leaves the rule-set folders: it points to ${real}`);
      return;
    }
    if (seenFolders.has(real)) return; // a folder link back into the tree
    seenFolders.add(real);
    let entries: string[];
    try {
      entries = readdirSync(folder).sort();
    } catch (error) {
      fail(folder, ioReason(error));
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      if (++seen > INPUT_LIMITS.maxEntries) {
        if (seen === INPUT_LIMITS.maxEntries + 1) fail(folder, `more than ${INPUT_LIMITS.maxEntries} files and folders under the rule-set folders; is this the right folder?`);
        return;
      }
      const child = join(folder, entry);
      if (isFolder(child)) visitFolder(child, root, label);
      else if (YAML_NAME.test(entry) && !POLICY_TEST_FILE.test(entry)) addFile(child, root, label);
    }
  };
  const addFile = (path: string, root: string, label: string) => {
    if (seenFiles.has(path)) return;
    seenFiles.add(path);
    const rel = root === path ? basename(path) : relative(root, path).split('\\').join('/');
    files.push({ path, key: `${label}/${rel}`, within });
  };

  roots.forEach((root, i) => {
    const label = labels?.[i] ?? basename(isFolder(root) ? root : dirname(root));
    try {
      lstatSync(root);
    } catch {
      fail(root, 'no such file or folder');
      return;
    }
    if (isFolder(root)) visitFolder(root, root, label);
    else addFile(root, root, label);
  });
  return { files, problems };
}

/** A file's text as read by the limited reader, or why it could not be read. */
export type FileContent = { readonly file: ListedFile; readonly text: string } | { readonly file: ListedFile; readonly problems: Problem[] };

export function readRuleFile(file: ListedFile, display: string): FileContent {
  const read = readTextFile(file.path, { display, within: file.within });
  return Array.isArray(read) ? { file, problems: read } : { file, text: read.text };
}

/**
 * Hash of a set of files: keys and texts (a file that could not be read counts by its problem), in key
 * order. Independent of the working folder and of how the folders were named on the command line.
 */
export function contentHash(contents: readonly FileContent[]): string {
  const hash = createHash('sha256');
  for (const c of [...contents].sort((a, b) => (a.file.key < b.file.key ? -1 : a.file.key > b.file.key ? 1 : 0))) {
    hash.update(c.file.key).update('\0');
    if ('text' in c) hash.update(c.text);
    else hash.update('\u0001').update(c.problems.map((p) => p.message).join('\n'));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export interface Snapshot {
  /** Equals the contentHash of a rule set loaded from the same files when every file could be listed. */
  readonly hash: string;
  /** Non-empty files whose last line has no newline: perhaps still being written. */
  readonly unterminated: readonly string[];
}

/** The files under the roots as they are now: a cheap look to tell whether anything changed. */
export function snapshot(roots: readonly string[], labels?: readonly string[]): Snapshot {
  const listing = listRuleFiles(roots, (p) => p, labels);
  const contents = listing.files.map((f) => readRuleFile(f, f.path));
  const unterminated = contents.flatMap((c) => ('text' in c && c.text !== '' && !c.text.endsWith('\n') ? [c.file.path] : []));
  const files = contentHash(contents);
  if (listing.problems.length === 0) return { hash: files, unterminated };
  const hash = createHash('sha256').update(files);
  for (const p of listing.problems) hash.update(p.file).update(p.message);
  return { hash: hash.digest('hex'), unterminated };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
