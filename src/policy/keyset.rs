//! The set of policy keys a policy set: a sorted list of at most one entry per known key.

/// Policy key names, sorted and distinct. A policy has a few dozen keys at most, so a sorted
/// list does what a `BTreeSet` did, without a B-tree's code in the wasm module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeySet(Vec<&'static str>);

impl KeySet {
    /// Adds `key`; false if it was there already.
    pub fn insert(&mut self, key: &'static str) -> bool {
        match self.0.binary_search(&key) {
            Ok(_) => false,
            Err(i) => {
                self.0.insert(i, key);
                true
            }
        }
    }

    /// Removes `key`; false if it was not there.
    pub fn remove(&mut self, key: &str) -> bool {
        match self.0.binary_search(&key) {
            Ok(i) => {
                self.0.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    /// Whether `key` is in the set.
    pub fn contains(&self, key: &str) -> bool {
        self.0.binary_search(&key).is_ok()
    }

    /// The keys in sorted order.
    pub fn iter(&self) -> std::slice::Iter<'_, &'static str> {
        self.0.iter()
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no key is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Empties the set.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

impl Extend<&'static str> for KeySet {
    fn extend<I: IntoIterator<Item = &'static str>>(&mut self, keys: I) {
        for k in keys {
            self.insert(k);
        }
    }
}

impl<const N: usize> From<[&'static str; N]> for KeySet {
    fn from(keys: [&'static str; N]) -> Self {
        let mut set = KeySet::default();
        set.extend(keys);
        set
    }
}

#[cfg(test)]
mod tests {
    use super::KeySet;

    #[test]
    fn keeps_keys_sorted_and_distinct() {
        let mut s = KeySet::from(["language", "allowBypass"]);
        assert!(!s.insert("language"));
        assert!(s.insert("bypassMinutes"));
        let keys: Vec<&str> = s.iter().copied().collect();
        assert_eq!(keys, ["allowBypass", "bypassMinutes", "language"]);
        assert!(s.contains("bypassMinutes") && !s.contains("blockedDomains"));
        assert!(s.remove("bypassMinutes") && !s.remove("bypassMinutes"));
        assert_eq!(s.len(), 2);
        s.clear();
        assert!(s.is_empty());
    }
}
