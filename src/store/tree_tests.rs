//! The tree's operations, and the promise that matters most: no message is ever lost by any
//! sequence of edits, regenerations, switches, saves and reloads (property tests).
