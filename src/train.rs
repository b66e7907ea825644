//! Run: one model + one loss + optimizer; step(), evaluate(), snapshot().
