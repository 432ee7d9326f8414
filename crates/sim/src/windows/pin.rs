//! Device-generated PINs, honouring the complexity the device's DM tree holds
//! (PassportForWork PINComplexity and the DeviceLock policy CSP).

use std::collections::BTreeMap;

use rand::seq::SliceRandom;
use rand::Rng;

const DIGITS: &[u8] = b"0123456789";
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const SPECIAL: &[u8] = b"!#$%&()*+,-./:;<=>?@[]^_{|}~";

/// Whether a character class must, may or must not appear
/// (PassportForWork PINComplexity values 1, 0, 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassRule {
    Required,
    Allowed,
    Disallowed,
}

impl ClassRule {
    fn from_pfw(v: &str) -> Option<Self> {
        match v.trim() {
            "0" => Some(Self::Allowed),
            "1" => Some(Self::Required),
            "2" => Some(Self::Disallowed),
            _ => None,
        }
    }
}

/// The PIN complexity in force on a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinRules {
    pub min_len: usize,
    pub max_len: usize,
    pub digits: ClassRule,
    pub lower: ClassRule,
    pub upper: ClassRule,
    pub special: ClassRule,
}

impl PinRules {
    /// What the device uses without any policy: `len` characters of letters
    /// and digits (at least one of each), or `len` digits when `numeric`.
    pub fn default_for(numeric: bool, len: usize) -> Self {
        if numeric {
            Self {
                min_len: len,
                max_len: 127,
                digits: ClassRule::Required,
                lower: ClassRule::Disallowed,
                upper: ClassRule::Disallowed,
                special: ClassRule::Disallowed,
            }
        } else {
            Self {
                min_len: len,
                max_len: 127,
                digits: ClassRule::Required,
                lower: ClassRule::Required,
                upper: ClassRule::Allowed,
                special: ClassRule::Disallowed,
            }
        }
    }

    /// The defaults tightened by the policies found in `tree`:
    /// `.../DeviceLock/MinDevicePasswordLength`, `AlphanumericDevicePasswordRequired`,
    /// `MinDevicePasswordComplexCharacters`, and PassportForWork
    /// `.../PINComplexity/{MinimumPINLength,MaximumPINLength,Digits,LowercaseLetters,UppercaseLetters,SpecialCharacters}`.
    pub fn from_tree(tree: &BTreeMap<String, (String, String)>, numeric: bool, default_len: usize) -> Self {
        let mut r = Self::default_for(numeric, default_len);
        let find = |suffix: &str| tree.iter().find(|(k, _)| k.ends_with(suffix)).map(|(_, (_, v))| v.trim().to_owned());
        let num = |suffix: &str| find(suffix).and_then(|v| v.parse::<usize>().ok());

        // DeviceLock policy CSP.
        if let Some(n) = num("/DeviceLock/MinDevicePasswordLength") {
            r.min_len = r.min_len.max(n);
        }
        match find("/DeviceLock/AlphanumericDevicePasswordRequired").as_deref() {
            Some("0") if numeric => {
                // A numeric-only device cannot honour it; it keeps digits.
            }
            Some("0") => {
                r.digits = ClassRule::Required;
                if r.lower == ClassRule::Disallowed {
                    r.lower = ClassRule::Required;
                }
            }
            Some("1") => {
                r.digits = ClassRule::Required;
                r.lower = ClassRule::Disallowed;
                r.upper = ClassRule::Disallowed;
                r.special = ClassRule::Disallowed;
            }
            _ => {}
        }
        if !numeric {
            if let Some(n) = num("/DeviceLock/MinDevicePasswordComplexCharacters") {
                if n >= 2 {
                    r.lower = ClassRule::Required;
                }
                if n >= 3 {
                    r.upper = ClassRule::Required;
                }
                if n >= 4 {
                    r.special = ClassRule::Required;
                }
            }
        }

        // PassportForWork PINComplexity (tenant or device scope).
        if let Some(n) = num("/PINComplexity/MinimumPINLength") {
            r.min_len = r.min_len.max(n);
        }
        if let Some(n) = num("/PINComplexity/MaximumPINLength") {
            r.max_len = n.max(4);
        }
        let class = |suffix: &str| find(suffix).and_then(|v| ClassRule::from_pfw(&v));
        if let Some(c) = class("/PINComplexity/Digits") {
            r.digits = c;
        }
        if !numeric {
            if let Some(c) = class("/PINComplexity/LowercaseLetters") {
                r.lower = c;
            }
            if let Some(c) = class("/PINComplexity/UppercaseLetters") {
                r.upper = c;
            }
            if let Some(c) = class("/PINComplexity/SpecialCharacters") {
                r.special = c;
            }
        }
        if r.max_len < r.min_len {
            r.max_len = r.min_len;
        }
        r
    }

    fn classes(&self) -> [(ClassRule, &'static [u8]); 4] {
        [(self.digits, DIGITS), (self.lower, LOWER), (self.upper, UPPER), (self.special, SPECIAL)]
    }

    /// Whether `pin` satisfies these rules.
    pub fn accepts(&self, pin: &str) -> bool {
        let len = pin.chars().count();
        if len < self.min_len || len > self.max_len {
            return false;
        }
        let bytes = pin.as_bytes();
        let all: Vec<&[u8]> = self.classes().iter().filter(|(r, _)| *r != ClassRule::Disallowed).map(|(_, s)| *s).collect();
        if !bytes.iter().all(|b| all.iter().any(|s| s.contains(b))) {
            return false;
        }
        self.classes().iter().filter(|(r, _)| *r == ClassRule::Required).all(|(_, s)| bytes.iter().any(|b| s.contains(b)))
    }

    /// A random PIN satisfying these rules (digits when the rules allow nothing).
    pub fn generate<R: Rng + ?Sized>(&self, rng: &mut R) -> String {
        let required: Vec<&[u8]> = self.classes().iter().filter(|(r, _)| *r == ClassRule::Required).map(|(_, s)| *s).collect();
        let mut allowed: Vec<u8> =
            self.classes().iter().filter(|(r, _)| *r != ClassRule::Disallowed).flat_map(|(_, s)| s.iter().copied()).collect();
        if allowed.is_empty() {
            allowed = DIGITS.to_vec();
        }
        let len = self.min_len.max(required.len()).max(4);
        let mut out: Vec<u8> = required.iter().map(|s| *s.choose(rng).expect("non-empty class")).collect();
        while out.len() < len {
            out.push(*allowed.choose(rng).expect("non-empty"));
        }
        out.shuffle(rng);
        String::from_utf8(out).expect("ASCII")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(entries: &[(&str, &str)]) -> BTreeMap<String, (String, String)> {
        entries.iter().map(|(k, v)| (k.to_string(), ("int".to_string(), v.to_string()))).collect()
    }

    #[test]
    fn defaults() {
        let mut rng = rand::thread_rng();
        for _ in 0..200 {
            let r = PinRules::default_for(false, 8);
            let p = r.generate(&mut rng);
            assert_eq!(p.len(), 8);
            assert!(p.bytes().all(|b| b.is_ascii_alphanumeric()), "{p}");
            assert!(p.bytes().any(|b| b.is_ascii_digit()) && p.bytes().any(|b| b.is_ascii_alphabetic()), "{p}");
            assert!(r.accepts(&p));
            let n = PinRules::default_for(true, 6).generate(&mut rng);
            assert_eq!(n.len(), 6);
            assert!(n.bytes().all(|b| b.is_ascii_digit()), "{n}");
        }
    }

    #[test]
    fn passport_for_work_complexity_is_honoured() {
        let t = tree(&[
            ("./Device/Vendor/MSFT/PassportForWork/tid/Policies/PINComplexity/MinimumPINLength", "10"),
            ("./Device/Vendor/MSFT/PassportForWork/tid/Policies/PINComplexity/UppercaseLetters", "1"),
            ("./Device/Vendor/MSFT/PassportForWork/tid/Policies/PINComplexity/SpecialCharacters", "1"),
        ]);
        let r = PinRules::from_tree(&t, false, 8);
        let mut rng = rand::thread_rng();
        for _ in 0..200 {
            let p = r.generate(&mut rng);
            assert!(p.len() >= 10);
            assert!(p.bytes().any(|b| b.is_ascii_uppercase()) && p.bytes().any(|b| SPECIAL.contains(&b)), "{p}");
            assert!(p.bytes().any(|b| b.is_ascii_digit()) && p.bytes().any(|b| b.is_ascii_lowercase()), "{p}");
            assert!(r.accepts(&p));
        }
        assert!(!r.accepts("abcdefgh12"), "no upper, no special");
    }

    #[test]
    fn device_lock_policy_is_honoured() {
        let t = tree(&[
            ("./Device/Vendor/MSFT/Policy/Config/DeviceLock/MinDevicePasswordLength", "12"),
            ("./Device/Vendor/MSFT/Policy/Config/DeviceLock/MinDevicePasswordComplexCharacters", "3"),
        ]);
        let r = PinRules::from_tree(&t, false, 8);
        let p = r.generate(&mut rand::thread_rng());
        assert_eq!(p.len(), 12);
        assert!(p.bytes().any(|b| b.is_ascii_uppercase()));
        let numeric = tree(&[("./Device/Vendor/MSFT/Policy/Config/DeviceLock/AlphanumericDevicePasswordRequired", "1")]);
        let p = PinRules::from_tree(&numeric, false, 8).generate(&mut rand::thread_rng());
        assert!(p.bytes().all(|b| b.is_ascii_digit()), "{p}");
        // Windows Phone 8.1 stays numeric, but longer if asked.
        let long = tree(&[("./Vendor/MSFT/Policy/Config/DeviceLock/MinDevicePasswordLength", "8")]);
        let p = PinRules::from_tree(&long, true, 6).generate(&mut rand::thread_rng());
        assert_eq!(p.len(), 8);
        assert!(p.bytes().all(|b| b.is_ascii_digit()));
    }
}
