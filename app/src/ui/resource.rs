//! Resources whose server-rendered value is carried to the browser as JSON,
//! exactly as with `Resource::new`, but decoded by the same code that decodes
//! server-function responses.
//!
//! Leptos's default resource codec reads the JSON with `serde_json::from_str`
//! while server functions read theirs with `serde_json::from_slice`; each
//! reader gets its own copy of every wire type's deserializer in the
//! WebAssembly client. Reading resources through `from_slice` too shares one
//! copy (issue 8: the client's size). The JSON on the wire is unchanged.
use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::{Serialize, de::DeserializeOwned};

/// JSON via `serde_json`, decoded from bytes (see the module docs).
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, Self::Error> {
        serde_json::to_string(val)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, Self::Error> {
        serde_json::from_slice(val.as_bytes())
    }
}

/// A resource encoded with [`Json`].
pub type Res<T> = Resource<T, Json>;

/// `Resource::new`, encoded with [`Json`].
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Res<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}
