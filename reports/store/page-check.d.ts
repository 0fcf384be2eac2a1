// Types of reports/store/page-check.js (plain JavaScript: a worker thread runs it too).
import type Database from 'better-sqlite3';

export declare function pageProblem(db: Database.Database, skipped: readonly string[]): string | null;
