//! Exact money. Amounts are `Decimal` yuan everywhere outside the solver's matrix; this is the one
//! place that parses them and the one place that rounds them.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};
use std::str::FromStr;

/// Reads a user-written number exactly: surrounding spaces, thousands separators (`,` `，` `_`
/// and spaces) and scientific notation are accepted. The one reader for amounts in every file.
pub(crate) fn parse_number(text: &str) -> Option<Decimal> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '_'))
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    Decimal::from_str(&cleaned)
        .or_else(|_| Decimal::from_scientific(&cleaned))
        .ok()
}

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
    pub fn parse(text: &str, unit: Unit) -> Result<Money, String> {
        let value = parse_number(text).ok_or_else(|| format!("{text:?} is not an amount"))?;
        Money::from_decimal(value, unit).map_err(|why| format!("{text:?} {why}"))
    }

    /// Converts a number in `unit` to yuan, checking it is non-negative and exact to the fen.
    pub fn from_decimal(value: Decimal, unit: Unit) -> Result<Money, String> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err("is negative; amounts must be zero or more".into());
        }
        let yuan = value
            .checked_mul(unit.yuan())
            .ok_or_else(|| "is too large".to_string())?;
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

/// A money value as written in a scenario file: a string or an integer, in the file's unit.
/// Floats are refused because `0.1` in TOML or JSON is already inexact when it is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount(pub Decimal);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount written as a string (\"30000000.00\") or an integer")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
                Ok(Amount(Decimal::from(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
                Ok(Amount(Decimal::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Amount, E> {
                Err(E::custom(format!(
                    "{v} is written as a floating-point number; write amounts and rates as strings (\"{v}\") so they stay exact"
                )))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                parse_number(v)
                    .map(Amount)
                    .ok_or_else(|| E::custom(format!("{v:?} is not a number")))
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
