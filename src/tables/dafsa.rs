//! Walks the compact automaton `build/` writes for the Public Suffix List (see `build/dafsa.rs`
//! for its layout): the keys are spelt backwards, so feeding a host from its last byte meets every
//! listed suffix in one pass. It holds the list in under a third of the bytes of a hash table,
//! and bytes are what a service worker waits for at every start.

/// Set on a tail byte; the bytes of a label are all below it.
const TAIL: u8 = 0x80;
/// The value bits of a tail byte.
const VALUE: u8 = 0x7f;
/// The edge-count bits of the byte after a tail; the two above them are the distance width - 1.
const COUNT: u8 = 0x3f;

/// A position in an automaton, fed one byte at a time.
#[derive(Clone, Copy, Debug)]
pub struct Cursor {
    graph: &'static [u8],
    /// The next byte to read: a byte of the current node's label, or its tail.
    at: usize,
}

impl Cursor {
    /// A cursor at the root of `graph`.
    pub const fn new(graph: &'static [u8]) -> Self {
        Cursor { graph, at: 0 }
    }

    /// Follows byte `b`; `false` once no key continues that way (the cursor is then spent).
    #[inline]
    pub fn step(&mut self, b: u8) -> bool {
        let g = self.graph;
        match g.get(self.at) {
            Some(&here) if here < TAIL => {
                self.at += 1;
                here == b
            }
            Some(_) => match self.follow(b) {
                Some(to) => {
                    self.at = to;
                    true
                }
                None => {
                    self.at = g.len();
                    false
                }
            },
            None => false,
        }
    }

    /// Where the edge for `b` leaves the tail at `self.at` for, if there is one.
    #[inline]
    fn follow(&self, b: u8) -> Option<usize> {
        let g = self.graph;
        let shape = *g.get(self.at + 1)?;
        let count = usize::from(shape & COUNT);
        let width = usize::from(shape >> 6) + 1;
        let chars = self.at + 2;
        let edges = g.get(chars..chars + count)?;
        // The edges are sorted: stop at the first byte past `b`.
        let i = edges.iter().position(|&e| e >= b)?;
        if edges[i] != b {
            return None;
        }
        let distances = chars + count;
        let d = g.get(distances + i * width..distances + (i + 1) * width)?;
        let distance = d.iter().rev().fold(0usize, |n, &x| n << 8 | usize::from(x));
        Some(distances + count * width + distance)
    }

    /// The value of the key that ends where the cursor is, 0 for none.
    #[inline]
    pub fn value(&self) -> u8 {
        match self.graph.get(self.at) {
            Some(&t) if t >= TAIL => t & VALUE,
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "com" = 1, "example.com" = 2, "net" = 3, by hand: a root with edges 'm' and 't'.
    static GRAPH: [u8; 25] = [
        0x80, 2, b'm', b't', 0, 16, // root: tail, 2 edges 1 byte wide; 'm' → 6, 't' → 22
        b'o', b'c', 0x81, 1, b'.', 0, // "oc", value 1 ("com"), edge '.' → 12
        b'e', b'l', b'p', b'm', b'a', b'x', b'e', 0x82, 0, // "elpmaxe", value 2
        0, // padding, never reached
        b'e', b'n', 0x83, // "en", value 3 ("net"); no edge byte: the end of the graph
    ];

    fn walk(host: &str) -> Vec<u8> {
        let mut c = Cursor::new(&GRAPH);
        let mut values = Vec::new();
        for &b in host.as_bytes().iter().rev() {
            if !c.step(b) {
                break;
            }
            values.push(c.value());
        }
        values
    }

    #[test]
    fn walks_a_hand_made_graph() {
        assert_eq!(walk("com"), [0, 0, 1]);
        assert_eq!(walk("www.example.com"), [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
        assert_eq!(walk("net"), [0, 0, 3]);
        assert_eq!(walk("org"), Vec::<u8>::new());
        assert_eq!(walk("cam"), [0]);
    }

    #[test]
    fn damaged_graphs_end_the_walk_instead_of_panicking() {
        for cut in 0..GRAPH.len() {
            let graph: &'static [u8] = Box::leak(GRAPH[..cut].to_vec().into_boxed_slice());
            let mut c = Cursor::new(graph);
            for &b in b"moc.elpmaxe.www" {
                if !c.step(b) {
                    break;
                }
                let _ = c.value();
            }
        }
    }
}
