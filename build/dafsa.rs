//! Builds the byte graph `src/tables/dafsa.rs` walks: the keys, each spelt backwards, as a minimal
//! acyclic automaton. Spelling them backwards lets a host be matched from its last character, so
//! one walk meets every suffix; merging identical tails of the automaton shares the many rules
//! that differ only in their first label (`*.hokkaido.jp`, `*.kawasaki.jp`).
//!
//! Layout (one node after another; the root first; a node only points forwards):
//! - the rest of the node's label: zero or more ASCII bytes, each below `0x80`, met one after the
//!   other with no choice;
//! - a tail byte `0x80 | value` (value 0: no key ends here);
//! - one byte: the number of outgoing edges (low 6 bits) and the width of their distances in
//!   bytes, less one (high 2 bits);
//! - the edges' bytes, in ascending order;
//! - their distances in the same order, each that many bytes, little-endian: from the end of this
//!   node to the node the edge leads to.

use std::collections::{BTreeMap, HashMap};

/// One state of the automaton: the value of a key ending here (0: none) and its edges.
#[derive(Clone, PartialEq, Eq, Hash)]
struct State {
    value: u8,
    edges: Vec<(u8, usize)>,
}

/// The encoded automaton for `keys` (ASCII, bytes below `0x80`; values 1..=0x7f).
pub fn build<'a>(keys: impl Iterator<Item = (&'a str, u8)>) -> Vec<u8> {
    // A trie of the reversed keys first.
    let mut trie: Vec<(u8, BTreeMap<u8, usize>)> = vec![(0, BTreeMap::new())];
    for (key, value) in keys {
        assert!(
            value != 0 && value < 0x80,
            "{key}: value {value} does not fit"
        );
        let mut at = 0;
        for &b in key.as_bytes().iter().rev() {
            assert!(b.is_ascii() && b != 0, "{key}: not ASCII");
            let next = trie.len();
            at = *trie[at].1.entry(b).or_insert(next);
            if at == next {
                trie.push((0, BTreeMap::new()));
            }
        }
        trie[at].0 |= value;
    }
    // Minimise: states with the same value and the same edges to the same states are one.
    let mut states: Vec<State> = Vec::new();
    let mut known: HashMap<State, usize> = HashMap::new();
    let root = merge(&trie, 0, &mut states, &mut known);
    encode(&states, root)
}

/// The minimal state for trie node `at`, merged bottom-up.
fn merge(
    trie: &[(u8, BTreeMap<u8, usize>)],
    at: usize,
    states: &mut Vec<State>,
    known: &mut HashMap<State, usize>,
) -> usize {
    let edges = trie[at]
        .1
        .iter()
        .map(|(&b, &child)| (b, merge(trie, child, states, known)))
        .collect();
    let state = State {
        value: trie[at].0,
        edges,
    };
    *known.entry(state.clone()).or_insert_with(|| {
        states.push(state);
        states.len() - 1
    })
}

/// A node as written: the bytes met without a choice, then the last state's value and edges.
struct Node {
    rest: Vec<u8>,
    value: u8,
    edges: Vec<(u8, usize)>,
}

fn encode(states: &[State], root: usize) -> Vec<u8> {
    let mut incoming = vec![0usize; states.len()];
    for s in states {
        for &(_, to) in &s.edges {
            incoming[to] += 1;
        }
    }
    // A state with no value and one edge, to a state nothing else reaches, is folded into the
    // node that holds it: a run of such states is written as plain bytes.
    let fold = |mut at: usize| {
        let mut rest = Vec::new();
        loop {
            let s = &states[at];
            match s.edges[..] {
                [(b, to)] if s.value == 0 && incoming[to] == 1 && at != root => {
                    rest.push(b);
                    at = to;
                }
                _ => break,
            }
        }
        (rest, at)
    };
    // Nodes in depth-first order from the root, each after every node that leads to it (a
    // reversed post-order), so that every distance is forwards and most are short.
    let mut order = Vec::new();
    let mut seen = vec![false; states.len()];
    let mut stack = vec![(root, false)];
    while let Some((at, done)) = stack.pop() {
        if done {
            order.push(at);
            continue;
        }
        if seen[at] {
            continue;
        }
        seen[at] = true;
        stack.push((at, true));
        let (_, last) = fold(at);
        for &(_, to) in states[last].edges.iter() {
            if !seen[to] {
                stack.push((to, false));
            }
        }
    }
    order.reverse();
    let mut index = vec![usize::MAX; states.len()];
    let nodes: Vec<Node> = order
        .iter()
        .enumerate()
        .map(|(i, &at)| {
            index[at] = i;
            let (rest, last) = fold(at);
            Node {
                rest,
                value: states[last].value,
                edges: states[last].edges.clone(),
            }
        })
        .collect();
    // Distances depend on where nodes land, which depends on the distances' widths: widen them
    // until they all fit. A width never shrinks, so this ends.
    let mut widths = vec![1usize; nodes.len()];
    let starts = loop {
        let starts = starts(&nodes, &widths);
        let mut changed = false;
        for (i, n) in nodes.iter().enumerate() {
            let end = starts[i] + size(n, widths[i]);
            for &(_, to) in &n.edges {
                let target = starts[index[to]];
                assert!(target >= end, "the automaton must only point forwards");
                let need = bytes_for(target - end);
                if need > widths[i] {
                    widths[i] = need;
                    changed = true;
                }
            }
        }
        if !changed {
            break starts;
        }
    };
    let mut out = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        assert_eq!(out.len(), starts[i]);
        assert!(
            n.edges.len() < 64 && widths[i] <= 4,
            "node too wide to encode"
        );
        out.extend_from_slice(&n.rest);
        out.push(0x80 | n.value);
        out.push(n.edges.len() as u8 | ((widths[i] as u8 - 1) << 6));
        out.extend(n.edges.iter().map(|e| e.0));
        let end = starts[i] + size(n, widths[i]);
        for &(_, to) in &n.edges {
            out.extend_from_slice(&(starts[index[to]] - end).to_le_bytes()[..widths[i]]);
        }
    }
    out
}

/// How many bytes node `n` takes with distances `width` bytes wide.
fn size(n: &Node, width: usize) -> usize {
    n.rest.len() + 2 + n.edges.len() * (1 + width)
}

/// Where each node starts, given the width of its distances.
fn starts(nodes: &[Node], widths: &[usize]) -> Vec<usize> {
    let mut at = 0;
    nodes
        .iter()
        .zip(widths)
        .map(|(n, &w)| {
            let start = at;
            at += size(n, w);
            start
        })
        .collect()
}

/// How many little-endian bytes `n` needs.
fn bytes_for(n: usize) -> usize {
    (usize::BITS - n.leading_zeros()).div_ceil(8).max(1) as usize
}
