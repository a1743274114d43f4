// Restore epochs (docs/decisions/0019): which signed checkpoints belong to this database's own
// history. A restore starts a new epoch that forks from its parent at the archive's head. The
// checkpoints of this epoch count in full, an ancestor's only up to the fork (the source may have
// gone on after the backup), and those of other timelines (the source after the backup, another
// restore of the same archive) not at all: so a restored copy and its source may share a checkpoint
// folder without false "rewritten" or "truncated" alarms, while a real rewrite is still caught.
// Pure: no database, no files.
import type { CheckpointRef } from "./log";

export const ROOT_EPOCH = "root";

export interface LineageSelection {
  /** This database's epoch: that of its newest restore checkpoint found in its own chain. */
  epoch: string;
  /** Epochs of this history, newest first, each with the last seq its checkpoints may speak for (null: no limit). */
  lineage: { epoch: string; upTo: bigint | null }[];
  /** The checkpoints to hold the chain against. */
  kept: CheckpointRef[];
  /** Checkpoints of this chain left out: they belong to another timeline after a fork. */
  otherTimelines: number;
  /** Breaks found from the lineage alone (e.g. a restored log cut back to its fork point). */
  problems: string[];
}

/**
 * @param hashAt the chain's hash at the seqs restore checkpoints name (their own seq and forkSeq)
 * @param chainId this log's chain id (null when empty); checkpoints of other chains pass through untouched
 * @param lastSeq the last event in this log
 */
export function selectLineage(refs: readonly CheckpointRef[], hashAt: ReadonlyMap<bigint, string>, chainId: string | null, lastSeq: bigint | null): LineageSelection {
  const ours = (ref: CheckpointRef) => chainId !== null && ref.chainId === chainId;
  const restores = refs.filter((ref) => ref.kind === "restore" && ours(ref));
  const inHistory = restores.filter((ref) => hashAt.get(ref.seq) === ref.hash);
  const newest = inHistory.reduce<CheckpointRef | null>((max, ref) => (!max || ref.seq > max.seq ? ref : max), null);
  const epoch = newest?.epoch ?? ROOT_EPOCH;
  const limits = new Map<string, bigint | null>([[epoch, null]]);
  for (let at = newest; at?.parentEpoch && !limits.has(at.parentEpoch); ) {
    const parent: string = at.parentEpoch;
    limits.set(parent, at.forkSeq ?? null);
    at = inHistory.find((ref) => ref.epoch === parent) ?? null;
  }
  const problems: string[] = [];
  for (const ref of restores) {
    if (inHistory.includes(ref) || ref.forkSeq === undefined || lastSeq === null) continue;
    // A restore that continued this very log from its last event (or later): the events after the fork are gone.
    if (ref.forkSeq >= lastSeq && hashAt.get(lastSeq) !== undefined && (ref.forkSeq > lastSeq || hashAt.get(ref.forkSeq) === ref.forkHash)) {
      problems.push(`truncated: restore checkpoint ${ref.source} continues this log after event ${ref.forkSeq}, but the log ends at ${lastSeq}`);
    }
  }
  let otherTimelines = 0;
  const kept = refs.filter((ref) => {
    if (!ours(ref)) return true;
    const epochOf = ref.epoch ?? ROOT_EPOCH;
    if (!limits.has(epochOf)) {
      otherTimelines += 1;
      return false;
    }
    const upTo = limits.get(epochOf) ?? null;
    if (upTo !== null && ref.seq > upTo) {
      otherTimelines += 1;
      return false;
    }
    return true;
  });
  return { epoch, lineage: [...limits].map(([e, upTo]) => ({ epoch: e, upTo })), kept, otherTimelines, problems };
}
