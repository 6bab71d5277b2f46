/**
 * Hours per partition when hourly rows are worked on a day at a time (the
 * observer spill, the hourly edges): rows of different days never fold or
 * aggregate together, so each day can be merged, stored and released on its
 * own, and a day keeps any one partition a small part of a long window.
 */
export const PARTITION_HOURS = 24;

/** The partition (day since the epoch) of an hour since the epoch. */
export const partitionOf = (hour: number): number => Math.floor(hour / PARTITION_HOURS);
