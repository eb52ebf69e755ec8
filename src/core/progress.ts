/** Progress callback: `done` out of `total` units of work, with an optional label. */
export type Progress = (done: number, total: number, label?: string) => void;

/** A progress callback that does nothing. */
export const noProgress: Progress = () => {};
