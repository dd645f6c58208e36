import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { checkIdentity } from './migrations.js';
import { StoreError, storeFailure } from './store-error.js';

/**
 * Opens (creating it and its folder when missing) a SQLite file with the settings every store relies on.
 *
 * journal_mode = WAL: a commit is one append to the write-ahead log, a process killed mid-write leaves
 * an incomplete log tail that the next open ignores, and `status` can read while `run` writes.
 *
 * synchronous = NORMAL, not FULL: in WAL mode NORMAL already survives the process being killed at any
 * point (crashes, deploys, OOM kills: the case that matters, and what the kill test checks), because a
 * commit is in the OS's page cache once the call returns. Only a power loss or kernel crash can lose the
 * last commits, and never corrupts the file; live positions are reconciled with the exchange at start-up
 * anyway. FULL would fsync every commit, and a backtest commits once per candle, thousands of times.
 *
 * foreign_keys = ON: SQLite enforces declared foreign keys only when asked, per connection; asking here
 * means a later migration that declares one cannot forget to.
 *
 * busy_timeout: another process (`status`, a second `run` by mistake) may hold the write lock for a
 * moment; wait for it rather than fail at once with SQLITE_BUSY.
 */
export function openDatabase(file: string): Database.Database {
  let db: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
  } catch (error) {
    throw storeFailure(file, 'opening', error);
  }
  try {
    db.pragma('busy_timeout = 5000');
    // Reads the header first (a file that is not SQLite fails here): a refused file must not be switched to WAL.
    checkIdentity(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') {
      throw new StoreError(file, 'not a SQLite database (is it the right file?)', error);
    }
    throw storeFailure(file, 'opening', error);
  }
}

/**
 * Opens an existing store for reading only (`serve`): nothing is created, upgraded or written, and a
 * write attempted by mistake fails. The store must be WAL already (every store is), since switching
 * the journal mode is a write.
 */
export function openReadOnly(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw storeFailure(file, 'opening read-only', error);
  }
  try {
    db.pragma('busy_timeout = 5000');
    checkIdentity(db, file);
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') throw new StoreError(file, 'not a SQLite database (is it the right file?)', error);
    throw storeFailure(file, 'opening read-only', error);
  }
}
