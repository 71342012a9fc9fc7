/**
 * How the bench runs the mock under load, and the same figures for the floor's least work
 * (bench/floor-work.ts), so that both do the same work.
 *
 * The processing delay is 0 (PROCESSED as soon as finalize is answered) and the image budget
 * the default. The mock never evicts a workflow execution in progress, so a flow's 2.6 MB of
 * images are held until PROCESSED; with the default delay of 1 s, flows at R a second hold
 * R × 2.6 MB that nothing may evict, and past about 45 flows/s the default budget of 128 MiB
 * answers uploads with 507 (as it should: the budget is full). A delay of 0 makes each flow's
 * images evictable when the flow ends, so the default budget still bounds the memory the bench
 * reports instead of a budget raised to fit the rate; the processing itself is the same work.
 */

/** The processing delay of every mock the bench loads with flows, in ms. */
export const PROCESSING_DELAY_MS = 0

/** The flags that say so, added to the mock's command line. */
export const LOAD_FLAGS = ['--processing-delay', `${String(PROCESSING_DELAY_MS)}ms`]

/** The default of `--max-image-bytes` (src/config.ts; a unit test holds them equal). */
export const DEFAULT_IMAGE_BUDGET = 128 * 1024 * 1024

/** The default of `--max-workflow-executions`. */
export const DEFAULT_KEPT = 2000
