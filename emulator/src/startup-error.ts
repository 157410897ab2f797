// Why the emulator could not start: a typed error naming the file (or option) at fault and the
// fix, so the CLI can print one clear line and tests can check `code` instead of wording.

export type StartupErrorCode =
  | 'bad_option' // an EmulatorOptions value is out of range or of the wrong type
  | 'rules_file' // --rules file missing, unreadable or invalid
  | 'import_file' // --import file missing or not export-format JSON
  | 'data_dir' // --data-dir unusable, or its snapshot / journal is corrupt before the last record
  | 'listen' // the port could not be bound
  | 'functions'; // the functions host could not start

export class StartupError extends Error {
  constructor(
    readonly code: StartupErrorCode,
    /** The file or directory at fault, or null for options and ports. */
    readonly file: string | null,
    problem: string,
    readonly fix: string,
  ) {
    super(`rtdb-emulator: ${file !== null ? `${file}: ` : ''}${problem} (${fix})`);
    this.name = 'StartupError';
  }
}
