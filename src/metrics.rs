//! Confusion counts and Dice/IoU/precision/recall/accuracy at a threshold (metrics are not losses).
