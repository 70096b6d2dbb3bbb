//! Exact money. Amounts are `Decimal` yuan everywhere outside the solver's matrix; this is the one
//! place that parses them and the one place that rounds them.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};
use std::str::FromStr;

/// Reads a user-written number exactly: surrounding spaces, thousands separators and scientific
/// notation are accepted. The one reader for amounts in every file. A separator (`,` `，` `_` or a
/// space, one kind per number) is taken only where it is unambiguous: between groups of three
/// digits of the whole part (`1,234,567.50`). Anything else is refused with the reason, because
/// `1,5` is 1.5 to half of Europe and 15 to a Chinese planner, and `1.234,56` is 1234.56 to one
/// and nothing to the other.
pub(crate) fn parse_number(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let decimal = |t: &str| {
        Decimal::from_str(t)
            .or_else(|_| Decimal::from_scientific(t))
            .ok()
    };
    // Junk is junk before it is a grouping question (`12,5OO` is not an amount at all).
    let bare: String = text.chars().filter(|c| !SEPARATORS.contains(c)).collect();
    if bare.is_empty() || decimal(&bare).is_none() {
        return Err("is not a number".into());
    }
    decimal(&ungroup(text)?).ok_or_else(|| "is not a number".into())
}

const SEPARATORS: [char; 4] = [',', '，', '_', ' '];

/// `text` without its thousands separators, or why they are not thousands separators.
fn ungroup(text: &str) -> Result<std::borrow::Cow<'_, str>, String> {
    let mut kinds = SEPARATORS.iter().filter(|s| text.contains(**s));
    let Some(&sep) = kinds.next() else {
        return Ok(text.into());
    };
    let misplaced = || {
        format!(
            "has {sep:?} where no thousands separator goes (groups of three digits, as in \"1,234,567.50\")"
        )
    };
    if let Some(&other) = kinds.next() {
        return Err(format!(
            "mixes the separators {sep:?} and {other:?}; write the number with one kind, or none"
        ));
    }
    let unsigned = text.trim_start_matches(['-', '+']);
    let sign = &text[..text.len() - unsigned.len()];
    let end = unsigned.find(['.', 'e', 'E']).unwrap_or(unsigned.len());
    let (whole, rest) = unsigned.split_at(end);
    if rest.contains(sep) {
        return Err(misplaced());
    }
    let mut groups = whole.split(sep);
    let first = groups.next().unwrap_or_default();
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    if first.is_empty() || first.len() > 3 || !digits(first) {
        return Err(misplaced());
    }
    let mut plain = format!("{sign}{first}");
    for group in groups {
        if group.len() != 3 || !digits(group) {
            return Err(misplaced());
        }
        plain.push_str(group);
    }
    plain.push_str(rest);
    Ok(plain.into())
}

/// The largest amount accepted anywhere (1 万亿元): far beyond any fund or project, small enough
/// that one amount in fen (10^14) stays below the largest coefficient HiGHS accepts (10^15) and
/// that sums stay far inside `Decimal`.
pub(crate) const LARGEST_YUAN: i64 = 1_000_000_000_000;

/// An amount of money in yuan (CNY), exact to the fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

/// The unit in which a file states its amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Unit {
    /// 元
    #[default]
    #[serde(rename = "yuan", alias = "元", alias = "CNY")]
    Yuan,
    /// 万元 = 10,000 yuan
    #[serde(rename = "wan", alias = "万元", alias = "10k")]
    Wan,
}

impl Unit {
    /// Unit words that may follow a number, longest first where one ends another.
    const SUFFIXES: [(&'static str, Unit); 6] = [
        ("万元", Unit::Wan),
        ("万", Unit::Wan),
        ("元", Unit::Yuan),
        ("yuan", Unit::Yuan),
        ("wan", Unit::Wan),
        ("cny", Unit::Yuan),
    ];

    /// An amount's number and the unit written after it, if any: `500万` → (`500`, 万元),
    /// `5,000,000 yuan` → (`5,000,000`, yuan), `500` → (`500`, none). Latin unit words are read
    /// in any case; spaces around the number are dropped.
    pub fn split(text: &str) -> (&str, Option<Unit>) {
        let trimmed = text.trim();
        for (suffix, unit) in Unit::SUFFIXES {
            let n = suffix.len();
            if trimmed.len() >= n
                && trimmed.is_char_boundary(trimmed.len() - n)
                && trimmed[trimmed.len() - n..].eq_ignore_ascii_case(suffix)
            {
                return (trimmed[..trimmed.len() - n].trim_end(), Some(unit));
            }
        }
        (trimmed, None)
    }

    /// The unit's name as users write it: `yuan` or `万元`.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Yuan => "yuan",
            Unit::Wan => "万元",
        }
    }

    /// How many yuan one unit is.
    pub fn yuan(self) -> Decimal {
        match self {
            Unit::Yuan => Decimal::ONE,
            Unit::Wan => Decimal::from(10_000),
        }
    }
}

impl Money {
    /// Zero yuan.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Money from an exact decimal number of yuan.
    pub fn from_yuan(amount: Decimal) -> Money {
        Money(amount.normalize())
    }

    /// The exact number of yuan.
    pub fn yuan(self) -> Decimal {
        self.0
    }

    /// Parses a user-written amount in `unit`: plain decimals, optionally with thousands separators
    /// (`1,234,567.00`) and surrounding spaces. Negative, non-numeric and sub-fen amounts are
    /// rejected with a message that quotes the value.
    ///
    /// A unit written after the number (`500万`, `500万元`, `500元`, `500 wan`, `5000000 yuan`)
    /// says what it means and overrides `unit` (see [`Unit::split`]).
    pub fn parse(text: &str, unit: Unit) -> Result<Money, String> {
        let (number, written) = Unit::split(text);
        let unit = written.unwrap_or(unit);
        let value = parse_number(number).map_err(|why| {
            if why == "is not a number" {
                format!("{text:?} is not an amount")
            } else {
                format!("{text:?} {why}")
            }
        })?;
        Money::from_decimal(value, unit).map_err(|why| format!("{text:?} {why}"))
    }

    /// Converts a number in `unit` to yuan, checking it is non-negative and exact to the fen.
    pub fn from_decimal(value: Decimal, unit: Unit) -> Result<Money, String> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err("is negative; amounts must be zero or more".into());
        }
        let yuan = value
            .checked_mul(unit.yuan())
            .filter(|yuan| *yuan <= Decimal::from(LARGEST_YUAN))
            .ok_or_else(|| {
                "is too large: amounts go up to 1,000,000,000,000 yuan (1 万亿元)".to_string()
            })?;
        if yuan.round_dp(2) != yuan {
            return Err("is finer than one fen (0.01 yuan)".into());
        }
        Ok(Money(yuan.normalize()))
    }

    /// Rounds to whole yuan, half up: the policy's rounding, applied once, after any cap.
    pub fn round_to_yuan(amount: Decimal) -> Money {
        Money(
            amount
                .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                .normalize(),
        )
    }

    /// Rounds to the fen, half up.
    pub fn round_to_fen(amount: Decimal) -> Money {
        Money(
            amount
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                .normalize(),
        )
    }

    /// Rounds down to whole yuan: used for pro-rata payments so a pool is never exceeded.
    pub fn floor_to_yuan(amount: Decimal) -> Money {
        Money(amount.floor().normalize())
    }

    /// The amount in fen as an integer: the form in which costs enter the solver.
    pub fn fen(self) -> i64 {
        use rust_decimal::prelude::ToPrimitive;
        (self.0 * Decimal::ONE_HUNDRED)
            .trunc()
            .to_i64()
            .unwrap_or(i64::MAX)
    }

    /// Digits grouped by thousands for reading: 30000000 → 30,000,000.
    pub fn grouped(self) -> String {
        let s = self.to_string();
        let (int, frac) = s
            .split_once('.')
            .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
        let mut grouped = String::new();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        match frac {
            Some(f) => format!("{grouped}.{f}"),
            None => grouped,
        }
    }

    /// The smaller of two amounts.
    pub fn min(self, other: Money) -> Money {
        if other < self {
            other
        } else {
            self
        }
    }
}

impl fmt::Display for Money {
    /// Plain decimal yuan with no exponent and no trailing zeros (`30000000`, `1234.5`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

impl Serialize for Money {
    /// Money is written as a decimal string so no reader loses a fen to binary floating point.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Reads what [`Serialize`] writes: a decimal string of yuan (results read back by tools).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let text = String::deserialize(d)?;
        Money::parse(&text, Unit::Yuan).map_err(serde::de::Error::custom)
    }
}

/// A money value as written in a scenario file: a string or an integer, in the file's unit —
/// unless the string names its own (`"500万"`, `"5000000元"`), the second field. Floats are
/// refused because `0.1` in TOML or JSON is already inexact when it is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount(pub Decimal, pub Option<Unit>);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount written as a string (\"30000000.00\") or an integer")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
                Ok(Amount(Decimal::from(v), None))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
                Ok(Amount(Decimal::from(v), None))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Amount, E> {
                Err(E::custom(format!(
                    "{v} is written as a floating-point number; write amounts and rates as strings (\"{v}\") so they stay exact"
                )))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                let (number, unit) = Unit::split(v);
                parse_number(number)
                    .map(|d| Amount(d, unit))
                    .map_err(|why| E::custom(format!("{v:?} {why}")))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn wan_converts_to_yuan_exactly() {
        assert_eq!(
            Money::parse("123.4567", Unit::Wan).unwrap().yuan(),
            dec!(1234567)
        );
        assert_eq!(Money::parse("0.01", Unit::Wan).unwrap().yuan(), dec!(100));
    }

    #[test]
    fn thousands_separators_are_accepted() {
        assert_eq!(
            Money::parse("1,234,567.00", Unit::Yuan).unwrap().yuan(),
            dec!(1234567)
        );
    }

    #[test]
    fn separators_are_taken_only_between_groups_of_three() {
        for (text, yuan) in [
            ("1,234,567.00", dec!(1234567)),
            ("1，234", dec!(1234)),
            ("1 234 567", dec!(1234567)),
            ("1_000", dec!(1000)),
            ("123", dec!(123)),
            ("-1,000", dec!(-1000)),
        ] {
            assert_eq!(parse_number(text), Ok(yuan), "{text}");
        }
        for text in [
            "1,2",
            "1,2345",
            ",123",
            "1234,567",
            "1.234,56",
            "1,234.5,6",
            "1,,234",
        ] {
            assert!(
                parse_number(text)
                    .unwrap_err()
                    .contains("no thousands separator goes"),
                "{text}"
            );
        }
        assert_eq!(
            parse_number("1,234_567").unwrap_err(),
            "mixes the separators ',' and '_'; write the number with one kind, or none"
        );
    }

    #[test]
    fn a_unit_after_the_number_overrides_the_column() {
        assert_eq!(
            Money::parse("500万", Unit::Yuan).unwrap().yuan(),
            dec!(5000000)
        );
        assert_eq!(
            Money::parse("1,234万元", Unit::Yuan).unwrap().yuan(),
            dec!(12340000)
        );
        assert_eq!(Money::parse("500元", Unit::Wan).unwrap().yuan(), dec!(500));
        assert_eq!(
            Money::parse("500 wan", Unit::Yuan).unwrap().yuan(),
            dec!(5000000)
        );
        assert_eq!(
            Money::parse("5,000,000 Yuan", Unit::Wan).unwrap().yuan(),
            dec!(5000000)
        );
        assert_eq!(Money::parse("12CNY", Unit::Wan).unwrap().yuan(), dec!(12));
        assert_eq!(
            Money::parse("万", Unit::Wan).unwrap_err(),
            "\"万\" is not an amount"
        );
    }

    #[test]
    fn bad_amounts_are_rejected_with_the_value_quoted() {
        assert_eq!(
            Money::parse("12,5OO", Unit::Yuan).unwrap_err(),
            "\"12,5OO\" is not an amount"
        );
        assert!(Money::parse("-5", Unit::Yuan)
            .unwrap_err()
            .contains("negative"));
        assert!(Money::parse("0.001", Unit::Yuan)
            .unwrap_err()
            .contains("fen"));
        assert!(Money::parse("", Unit::Yuan).is_err());
        assert!(Money::parse("1000000000000", Unit::Yuan).is_ok());
        assert!(Money::parse("1000000000000.01", Unit::Yuan).is_err());
        assert_eq!(
            Money::parse("1000000001", Unit::Wan).unwrap_err(),
            "\"1000000001\" is too large: amounts go up to 1,000,000,000,000 yuan (1 万亿元)"
        );
    }

    #[test]
    fn rounding_to_yuan_is_half_up() {
        assert_eq!(Money::round_to_yuan(dec!(10.5)).yuan(), dec!(11));
        assert_eq!(Money::round_to_yuan(dec!(10.49)).yuan(), dec!(10));
        assert_eq!(Money::round_to_yuan(dec!(2.5)).yuan(), dec!(3));
    }

    #[test]
    fn money_is_displayed_without_exponent_or_trailing_zeros() {
        assert_eq!(
            Money::parse("30000000.00", Unit::Yuan).unwrap().to_string(),
            "30000000"
        );
        assert_eq!(
            Money::parse("3000", Unit::Wan).unwrap().to_string(),
            "30000000"
        );
    }
}
