//! Connected components of a binary mask: the objects that the object metrics match, that U-Net's
//! border weights measure distances to, and that the "touching" scene keeps apart with seams.

use ndarray::ArrayView2;

/// Which neighbours join a pixel's object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connectivity {
    /// Up, down, left, right: scipy.ndimage.label's default structure.
    Four,
    /// The 4 and the diagonals: objects as the object metrics count them (reference/metrics.md).
    Eight,
}

/// A labelling of an (H, W) mask.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Components {
    /// Per pixel, row-major: 0 for background, else the object 1..=count, numbered in the order
    /// their first pixels come in a row-major scan.
    pub labels: Vec<usize>,
    pub count: usize,
}

impl Components {
    /// Pixels per label: entry 0 counts the background, entry i object i.
    pub fn areas(&self) -> Vec<u64> {
        let mut areas = vec![0; self.count + 1];
        for &label in &self.labels {
            areas[label] += 1;
        }
        areas
    }
}

/// Labels the objects of `foreground` (row-major, `height` × `width`).
pub fn label(
    foreground: &[bool],
    height: usize,
    width: usize,
    connectivity: Connectivity,
) -> Components {
    assert_eq!(foreground.len(), height * width, "mask of {height}×{width}");
    let mut labels = vec![0; foreground.len()];
    let mut count = 0;
    let mut stack = Vec::new();
    for start in 0..foreground.len() {
        if !foreground[start] || labels[start] != 0 {
            continue;
        }
        count += 1;
        labels[start] = count;
        stack.push(start);
        while let Some(pixel) = stack.pop() {
            let (y, x) = (pixel / width, pixel % width);
            for ny in y.saturating_sub(1)..(y + 2).min(height) {
                for nx in x.saturating_sub(1)..(x + 2).min(width) {
                    let diagonal = ny != y && nx != x;
                    if diagonal && connectivity == Connectivity::Four {
                        continue;
                    }
                    let neighbour = ny * width + nx;
                    if foreground[neighbour] && labels[neighbour] == 0 {
                        labels[neighbour] = count;
                        stack.push(neighbour);
                    }
                }
            }
        }
    }
    Components { labels, count }
}

/// Labels the objects of an (H, W) mask, object where > 0.5.
pub fn label_mask(mask: ArrayView2<f32>, connectivity: Connectivity) -> Components {
    let (height, width) = mask.dim();
    // Logical (row-major) order, whatever the view's strides.
    let foreground: Vec<bool> = mask.iter().map(|&v| v > 0.5).collect();
    label(&foreground, height, width, connectivity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use ndarray::array;

    fn labels_of(rows: &[&str], connectivity: Connectivity) -> Components {
        let width = rows[0].len();
        let foreground: Vec<bool> = rows
            .iter()
            .flat_map(|r| r.bytes())
            .map(|b| b == b'#')
            .collect();
        label(&foreground, rows.len(), width, connectivity)
    }

    #[test]
    fn diagonal_neighbours_join_only_with_eight() {
        let rows = ["#..#", ".#..", "...#"];
        let four = labels_of(&rows, Connectivity::Four);
        let eight = labels_of(&rows, Connectivity::Eight);
        assert_eq!(four.count, 4);
        assert_eq!(four.labels, [1, 0, 0, 2, 0, 3, 0, 0, 0, 0, 0, 4]);
        assert_eq!(eight.count, 3);
        assert_eq!(eight.labels, [1, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 3]);
        assert_eq!(eight.areas(), [8, 2, 1, 1]);
    }

    #[test]
    fn objects_are_numbered_by_their_first_pixel_in_scan_order() {
        // The U's arms meet only in its bottom row, so the walk must turn back up to join them;
        // the lone pixel diagonal to the U comes next.
        let u = labels_of(&["#.#.", "#.#.", "###.", "...#"], Connectivity::Four);
        assert_eq!(u.count, 2);
        assert_eq!(u.labels, [1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 2]);
        let empty = labels_of(&["...", "..."], Connectivity::Eight);
        assert_eq!((empty.count, empty.labels), (0, vec![0; 6]));
        let full = labels_of(&["###", "###"], Connectivity::Four);
        assert_eq!((full.count, full.labels), (1, vec![1; 6]));
        // One row and one column: no neighbour above, below or aside wraps around.
        assert_eq!(labels_of(&["#.#"], Connectivity::Eight).count, 2);
        assert_eq!(labels_of(&["#", ".", "#"], Connectivity::Eight).count, 2);
        assert_eq!(labels_of(&["..#", "#.."], Connectivity::Eight).count, 2);
    }

    /// On random masks: background is 0, neighbours share a label, each label is one connected
    /// object (checked by a walk of its own), and labels appear in scan order.
    #[test]
    fn random_masks_keep_every_property_of_a_labelling() {
        let mut rng = Rng::new(9, 0);
        for case in 0..60 {
            let (height, width) = (1 + rng.below(12), 1 + rng.below(12));
            let density = [0.3, 0.5, 0.7][case % 3];
            let foreground: Vec<bool> = (0..height * width)
                .map(|_| rng.uniform() < density)
                .collect();
            for connectivity in [Connectivity::Four, Connectivity::Eight] {
                let Components { labels, count } = label(&foreground, height, width, connectivity);
                let neighbours = |p: usize| {
                    let (y, x) = ((p / width) as isize, (p % width) as isize);
                    let steps: &[(isize, isize)] = match connectivity {
                        Connectivity::Four => &[(-1, 0), (1, 0), (0, -1), (0, 1)],
                        Connectivity::Eight => &[
                            (-1, -1),
                            (-1, 0),
                            (-1, 1),
                            (0, -1),
                            (0, 1),
                            (1, -1),
                            (1, 0),
                            (1, 1),
                        ],
                    };
                    steps
                        .iter()
                        .map(move |&(dy, dx)| (y + dy, x + dx))
                        .filter(|&(ny, nx)| {
                            ny >= 0 && nx >= 0 && (ny as usize) < height && (nx as usize) < width
                        })
                        .map(|(ny, nx)| ny as usize * width + nx as usize)
                        .collect::<Vec<_>>()
                };
                let mut next = 1;
                for p in 0..labels.len() {
                    assert_eq!(labels[p] == 0, !foreground[p]);
                    if labels[p] == next {
                        next += 1;
                    }
                    assert!(labels[p] < next, "label {} before {next}", labels[p]);
                    for q in neighbours(p) {
                        if foreground[p] && foreground[q] {
                            assert_eq!(labels[p], labels[q]);
                        }
                    }
                }
                assert_eq!(next, count + 1);
                for object in 1..=count {
                    let members: Vec<usize> =
                        (0..labels.len()).filter(|&p| labels[p] == object).collect();
                    let mut reached = vec![members[0]];
                    let mut i = 0;
                    while i < reached.len() {
                        for q in neighbours(reached[i]) {
                            if labels[q] == object && !reached.contains(&q) {
                                reached.push(q);
                            }
                        }
                        i += 1;
                    }
                    assert_eq!(reached.len(), members.len(), "object {object} is one piece");
                }
            }
        }
    }

    #[test]
    fn masks_are_object_above_one_half_whatever_the_strides() {
        let mask = array![[0.9f32, 0.5, 0.0], [0.0, 0.0, 0.6]];
        let eight = label_mask(mask.view(), Connectivity::Eight);
        assert_eq!(eight.labels, [1, 0, 0, 0, 0, 2]);
        let transposed = label_mask(mask.t(), Connectivity::Eight);
        assert_eq!(transposed.labels, [1, 0, 0, 0, 0, 2]);
        assert_eq!(
            label_mask(mask.slice(ndarray::s![.., ..;-1]), Connectivity::Four).labels,
            [0, 0, 1, 2, 0, 0]
        );
    }
}
