//! Temporary passcode rules. The caller hands in a cryptographically secure RNG (the server
//! uses the OS CSPRNG); this module only decides what a good temporary passcode looks like.

use crate::secret::Secret;
use rand::{CryptoRng, Rng};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const DEFAULT_ALPHANUMERIC_LENGTH: u8 = 8;
pub const DEFAULT_NUMERIC_LENGTH: u8 = 6;

/// Letters and digits a person reads off a screen and types on a phone without confusing
/// them: no 0/O/o, 1/l/I/i.
const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz";
const DIGITS_NO_LOOKALIKE: &[u8] = b"23456789";
const DIGITS: &[u8] = b"0123456789";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PasscodeStyle {
    Alphanumeric,
    Numeric,
}

pub fn length_range(style: PasscodeStyle) -> std::ops::RangeInclusive<u8> {
    match style {
        PasscodeStyle::Alphanumeric => 6..=32,
        PasscodeStyle::Numeric => 4..=16,
    }
}

pub fn check_length(style: PasscodeStyle, len: u8) -> Result<(), String> {
    let r = length_range(style);
    if r.contains(&len) {
        Ok(())
    } else {
        Err(format!("{style:?} passcode length must be between {} and {}, got {len}", r.start(), r.end()))
    }
}

/// Generate a temporary passcode. Panics only if `len` is outside `length_range` — settings are
/// validated before they are saved.
pub fn generate(style: PasscodeStyle, len: u8, rng: &mut (impl Rng + CryptoRng)) -> Secret {
    check_length(style, len).expect("passcode length validated with the tenant settings");
    loop {
        let candidate: String = match style {
            PasscodeStyle::Alphanumeric => {
                let alphabet: Vec<u8> = [LETTERS, DIGITS_NO_LOOKALIKE].concat();
                (0..len).map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char).collect()
            }
            PasscodeStyle::Numeric => (0..len).map(|_| DIGITS[rng.gen_range(0..DIGITS.len())] as char).collect(),
        };
        // Rejection sampling keeps the distribution uniform over the acceptable passcodes.
        if is_acceptable(style, &candidate) {
            return Secret::new(candidate);
        }
    }
}

/// The rules a generated passcode must satisfy.
pub fn is_acceptable(style: PasscodeStyle, p: &str) -> bool {
    match style {
        PasscodeStyle::Alphanumeric => {
            p.bytes().any(|b| b.is_ascii_alphabetic())
                && p.bytes().any(|b| b.is_ascii_digit())
                && p.bytes().all(|b| LETTERS.contains(&b) || DIGITS_NO_LOOKALIKE.contains(&b))
        }
        PasscodeStyle::Numeric => p.bytes().all(|b| b.is_ascii_digit()) && !has_weak_run(p.as_bytes()),
    }
}

/// Three digits in a row that repeat (777) or count up or down (345, 543): the runs device
/// PIN policies reject and people guess first.
fn has_weak_run(d: &[u8]) -> bool {
    d.windows(3).any(|w| {
        let (a, b, c) = (w[0] as i16, w[1] as i16, w[2] as i16);
        let step = b - a;
        (step == 0 || step == 1 || step == -1) && c - b == step
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn alphanumeric_has_letter_and_digit_and_no_lookalikes() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..2000 {
            let p = generate(PasscodeStyle::Alphanumeric, 8, &mut rng);
            let s = p.expose();
            assert_eq!(s.len(), 8);
            assert!(s.chars().any(|c| c.is_ascii_alphabetic()), "{s}");
            assert!(s.chars().any(|c| c.is_ascii_digit()), "{s}");
            assert!(!s.contains(['0', 'O', 'o', '1', 'l', 'I', 'i']), "{s}");
        }
    }

    #[test]
    fn numeric_has_no_repeated_or_sequential_runs() {
        let mut rng = StdRng::seed_from_u64(11);
        for _ in 0..2000 {
            let p = generate(PasscodeStyle::Numeric, 6, &mut rng);
            assert_eq!(p.expose().len(), 6);
            assert!(!has_weak_run(p.expose().as_bytes()), "{}", p.expose());
        }
        for weak in ["111111", "123456", "654321", "901234", "128777"] {
            assert!(!is_acceptable(PasscodeStyle::Numeric, weak), "{weak} must be rejected");
        }
        assert!(is_acceptable(PasscodeStyle::Numeric, "285913"));
    }

    #[test]
    fn lengths_come_from_settings_within_bounds() {
        let mut rng = StdRng::seed_from_u64(3);
        assert_eq!(generate(PasscodeStyle::Alphanumeric, 12, &mut rng).expose().len(), 12);
        assert_eq!(generate(PasscodeStyle::Numeric, 4, &mut rng).expose().len(), 4);
        assert!(check_length(PasscodeStyle::Numeric, 3).is_err());
        assert!(check_length(PasscodeStyle::Alphanumeric, 33).is_err());
    }

    #[test]
    fn passcodes_differ_between_calls() {
        let mut rng = rand::rngs::OsRng;
        let a = generate(PasscodeStyle::Alphanumeric, 8, &mut rng);
        let b = generate(PasscodeStyle::Alphanumeric, 8, &mut rng);
        assert_ne!(a.expose(), b.expose());
    }
}
