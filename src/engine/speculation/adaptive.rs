//! How many tokens to guess: more while guesses are accepted, fewer after rejections, none for a
//! while when guessing keeps failing.
//!
//! A rejected guess costs a slightly larger batch and nothing else, but a free chat can reject
//! almost every guess and must not pay that on every token. So after a step where no guess was
//! accepted the slot stops guessing for a number of steps that doubles with every further miss
//! (up to [`MAX_PAUSE`]); one accepted guess ends the pause.

/// Where the adaptive length starts.
const START: usize = 4;
/// The adaptive length's ceiling when no `draft_max` is set.
pub const ADAPTIVE_MAX: usize = 16;
/// The longest pause, in steps, after repeated misses.
const MAX_PAUSE: u32 = 32;

/// The draft length of one reply.
#[derive(Debug, Clone)]
pub struct DraftLength {
    max: usize,
    fixed: bool,
    current: usize,
    misses: u32,
    pause: u32,
}

impl DraftLength {
    /// `fixed = Some(n)` always guesses up to `n` tokens; `None` adapts between 1 and
    /// [`ADAPTIVE_MAX`].
    pub fn new(fixed: Option<usize>) -> DraftLength {
        let max = fixed.unwrap_or(ADAPTIVE_MAX);
        DraftLength {
            max,
            fixed: fixed.is_some(),
            current: START.min(max),
            misses: 0,
            pause: 0,
        }
    }

    /// How many tokens to guess this step (0: none).
    pub fn take(&mut self) -> usize {
        if self.fixed {
            return self.max;
        }
        if self.pause > 0 {
            self.pause -= 1;
            return 0;
        }
        self.current
    }

    /// Records a step that guessed `drafted` tokens of which the first `accepted` were right.
    pub fn record(&mut self, drafted: usize, accepted: usize) {
        if self.fixed || drafted == 0 {
            return;
        }
        if accepted == 0 {
            self.misses += 1;
            self.pause = (1u32 << self.misses.min(6)).min(MAX_PAUSE);
            self.current = 1;
        } else {
            self.misses = 0;
            self.current = if accepted == drafted {
                (self.current * 2).min(self.max)
            } else {
                (accepted + 1).min(self.max)
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_length_grows_with_acceptance_and_pauses_after_misses() {
        let mut length = DraftLength::new(None);
        assert_eq!(length.take(), START);
        length.record(4, 4);
        assert_eq!(length.take(), 8);
        length.record(8, 8);
        length.record(16, 16);
        assert_eq!(length.take(), ADAPTIVE_MAX);
        length.record(16, 2);
        assert_eq!(length.take(), 3);
        // A miss pauses 2 steps, the next 4: guessing that keeps failing costs almost nothing.
        length.record(3, 0);
        assert_eq!([length.take(), length.take(), length.take()], [0, 0, 1]);
        length.record(1, 0);
        let paused = (0..4).map(|_| length.take()).filter(|&n| n == 0).count();
        assert_eq!(paused, 4);
        assert_eq!(length.take(), 1);
        length.record(1, 1);
        assert_eq!(length.take(), 2);
    }

    #[test]
    fn a_fixed_length_never_changes() {
        let mut length = DraftLength::new(Some(5));
        length.record(5, 0);
        assert_eq!(length.take(), 5);
    }
}
