// Types of harness/cli/launcher.js (plain JavaScript: it runs before the TypeScript loader).
export declare const LAUNCHED_ENV: 'PATTERNBENCH_LAUNCHED';
export declare const SEMI_SPACE_MIB: { readonly virtual: number; readonly realtime: number };
export declare function heapFlags(argv: readonly string[], execArgv: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] | null;
export declare function launch(script: string, argv: readonly string[], flags: readonly string[]): void;
export declare function exitWithLauncher(): void;
