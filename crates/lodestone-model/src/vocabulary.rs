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
        $vis:vis enum $name:ident as $what:literal $(in schema $schema:ident)? {
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

        $crate::__openapi_named_enum! { $name [$($schema)?] { $($text),+ } }
    };
}

/// The OpenAPI schema of a [`named_enum!`](crate::named_enum): a string that is one of the
/// names. A derive would describe the Rust variants, not the names serde writes, so the schema is
/// written here; and it is decided here, by this crate's `openapi` feature — a `cfg_attr` in the
/// macro's output would test the feature of whichever crate invokes it. `in schema Name` after
/// the vocabulary's name gives the schema another name where two types share one.
#[cfg(feature = "openapi")]
#[doc(hidden)]
#[macro_export]
macro_rules! __openapi_named_enum {
    ($name:ident [] { $($text:literal),+ }) => {
        $crate::__openapi_named_enum! { $name [$name] { $($text),+ } }
    };
    ($name:ident [$schema:ident] { $($text:literal),+ }) => {
        impl $crate::__private::utoipa::PartialSchema for $name {
            fn schema() -> $crate::__private::utoipa::openapi::RefOr<
                $crate::__private::utoipa::openapi::schema::Schema,
            > {
                $crate::__private::utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type($crate::__private::utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl $crate::__private::utoipa::ToSchema for $name {
            fn name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($schema))
            }
        }
    };
}

/// Without the `openapi` feature a [`named_enum!`](crate::named_enum) has no schema.
#[cfg(not(feature = "openapi"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __openapi_named_enum {
    ($($ignored:tt)*) => {};
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
