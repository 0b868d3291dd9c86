/**
 * Coverage beyond one machine: a coordinator splits a run into buffered partitions
 * (`partition.ts`, `sub-graph.ts`), writes their inputs to PostgreSQL (`tables.ts`) and queues one
 * pg-boss job each (`queue.ts`); worker processes anywhere compute and store them (`worker.ts`,
 * `lifecircle worker`); the coordinator merges the results into one report (`merge.ts`).
 */
export { type DistributedInput, type DistributedOptions, enqueueRun, prepareRun, runDistributed, waitForRun } from './coordinator.ts';
export { mergeRun } from './merge.ts';
export { type Bbox, type CoverageTravel, DEFAULT_GRID_KM, type PartitionOptions, type PartitionPlan, planPartitions } from './partition.ts';
export { type JobSettings, PARTITION_QUEUE, PartitionQueue, type QueueConnection, partitionJobId } from './queue.ts';
export { cutGraph } from './sub-graph.ts';
export { type AttemptOutcome, type AttemptRow, deleteRun, ensureTables, listAttempts } from './tables.ts';
export { type ComputeCoverage, type RunningWorker, type WorkerEvent, type WorkerOptions, assessPartition, startWorker } from './worker.ts';
