//! Why this file exists: several closed vocabularies (event types, project statuses) are written
//! in files and output as fixed names ("export-control", "financing"). [`named_enum!`](crate::named_enum) declares
//! one such enum once — its names, `ALL`, `as_str`, `Display`, `FromStr` with the valid choices
//! and "did you mean", and serde as the name — so no crate writes that code again.

/// Declares a closed vocabulary:
///
/// ```
/// lodestone_model::named_enum! {
///     /// How sure a figure is.
///     pub enum Certainty as "certainty" {
///         Reported = "reported",
///         Estimated = "estimated",
///     }
/// }
/// assert_eq!("estimated".parse::<Certainty>().unwrap(), Certainty::Estimated);
/// assert!("estimate".parse::<Certainty>().unwrap_err().to_string().contains("did you mean estimated"));
/// ```
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $what:literal {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name files and output use.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ModelError;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|x| x.as_str() == s.trim())
                    .ok_or_else(|| $crate::ModelError::not_one_of(
                        $what,
                        s,
                        Self::ALL.iter().map(|x| x.as_str()),
                    ))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::string::String as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::named_enum! {
        enum Colour as "colour" {
            DeepRed = "deep-red",
            Blue = "blue",
        }
    }

    #[test]
    fn names_round_trip_and_unknown_names_list_the_choices() {
        for c in Colour::ALL {
            assert_eq!(c.as_str().parse::<Colour>().unwrap(), *c);
        }
        assert_eq!(format!("{:<9}|", Colour::Blue), "blue     |");
        let e = "deep red".parse::<Colour>().unwrap_err().to_string();
        assert_eq!(
            e,
            "unknown colour \"deep red\"; valid choices: deep-red, blue; did you mean deep-red?"
        );
        let json = serde_json_like(Colour::DeepRed);
        assert_eq!(json, "\"deep-red\"");
    }

    fn serde_json_like(c: Colour) -> String {
        toml::Value::try_from(c).unwrap().to_string()
    }
}
