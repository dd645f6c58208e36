/** Process exit statuses, distinct so scripts and CI can tell them apart. */
export const EXIT = {
  /** Success; for `lint`, no problems. */
  OK: 0,
  /** `lint` found problems, or a command could not load the rule set because of them. */
  PROBLEMS: 1,
  /** Bad invocation or bad input (flags, state file). */
  INPUT: 2,
  /** A bug: an unexpected exception. */
  INTERNAL: 3,
} as const;
