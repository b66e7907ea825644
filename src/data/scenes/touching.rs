//! The "touching" demo scene: H&E-like nuclei in clusters, touching and overlapping; the mask
//! separates touching nuclei by a one-pixel background seam, as U-Net's training data does.

use super::noise::texture;
use super::paint::{Blob, Canvas, SHAPE, SIZE, between, mix, region, sample, scale, unit};
use super::{Scene, SceneInfo};
use crate::data::Sample;
use crate::rng::Rng;
use ndarray::Array2;

pub(super) const SCENE: Scene = Scene {
    info: SceneInfo {
        name: "touching",
        title: "Touching nuclei",
        description: "Packed nuclei, ~35 % object, separated in the mask by one-pixel background seams \
                      where they touch: the case for border weights.",
        nominal_fraction: 0.35,
    },
    draw,
};

pub(super) fn draw(rng: &mut Rng, _image: usize) -> Sample {
    let target = between(rng, 0.30, 0.40);
    let (hue, grain, chromatin) = (
        texture(rng, SHAPE, 20.0, 3),
        texture(rng, SHAPE, 4.0, 2),
        texture(rng, SHAPE, 2.5, 2),
    );
    let clusters: Vec<(f64, f64)> = (0..3 + rng.below(2))
        .map(|_| (between(rng, 15.0, 81.0), between(rng, 15.0, 81.0)))
        .collect();
    let mut nuclei: Vec<Blob> = Vec::new();
    // Label of each pixel: the nucleus it lies deepest inside (0 = none), and by how much.
    let mut label = Array2::<usize>::zeros(SHAPE);
    let mut depth = Array2::<f64>::from_elem(SHAPE, 0.0);
    for _attempt in 0..300 {
        let covered = label.iter().filter(|&&l| l > 0).count() as f64 / label.len() as f64;
        if covered >= target {
            break;
        }
        let (ky, kx) = clusters[rng.below(clusters.len())];
        let (cy, cx) = (ky + 14.0 * rng.normal(), kx + 14.0 * rng.normal());
        let radius = between(rng, 6.0, 9.0);
        // Neighbours may overlap a little (a quarter of the radii), so many nuclei touch.
        let fits = nuclei.iter().all(|n| {
            let (dy, dx) = (n.cy - cy, n.cx - cx);
            libm::sqrt(dy * dy + dx * dx) > 0.75 * (n.radius + radius)
        });
        if !fits || !(0.0..96.0).contains(&cy) || !(0.0..96.0).contains(&cx) {
            continue;
        }
        let nucleus = Blob::random(rng, cy, cx, radius, 1.4, 0.08);
        nuclei.push(nucleus);
        let nucleus = nuclei.last().unwrap();
        for (y, x) in nucleus.pixels() {
            let inside = nucleus.inside_by(y, x);
            if inside >= 0.0 && (label[(y, x)] == 0 || inside > depth[(y, x)]) {
                label[(y, x)] = nuclei.len();
                depth[(y, x)] = inside;
            }
        }
    }
    // Seams: a pixel of nucleus j with an 8-neighbour of nucleus i < j becomes background, so no two
    // nuclei are 8-connected in the mask.
    let seam = Array2::from_shape_fn(SHAPE, |(y, x)| {
        let own = label[(y, x)];
        let mut touches_earlier = false;
        for ny in y.saturating_sub(1)..=(y + 1).min(SIZE - 1) {
            for nx in x.saturating_sub(1)..=(x + 1).min(SIZE - 1) {
                let other = label[(ny, nx)];
                touches_earlier |= own > 0 && other > 0 && other < own;
            }
        }
        touches_earlier
    });
    let mask = Array2::from_shape_fn(SHAPE, |(y, x)| {
        if label[(y, x)] > 0 && !seam[(y, x)] {
            1.0
        } else {
            0.0
        }
    });

    let shades: Vec<f32> = (0..nuclei.len())
        .map(|_| between(rng, 0.85, 1.6) as f32)
        .collect();
    let cytoplasm = texture(rng, SHAPE, 10.0, 2);
    let dense = region(&cytoplasm, 0.30, |y, x| label[(y, x)] == 0);
    let mut canvas = Canvas::new(|y, x| {
        let base = mix([0.93, 0.72, 0.82], [0.84, 0.58, 0.72], unit(hue[(y, x)]));
        scale(base, 1.0 + 0.08 * grain[(y, x)])
    });
    canvas.paint(&dense, |y, x| {
        scale([0.58, 0.36, 0.56], 1.0 + 0.1 * grain[(y, x)])
    });
    let nucleus_coverage = label.mapv(|l| if l > 0 { 1.0 } else { 0.0 });
    canvas.paint(&nucleus_coverage, |y, x| {
        let shade = shades[label[(y, x)] - 1];
        let colour = scale([0.42, 0.28, 0.60], shade * (1.0 + 0.25 * chromatin[(y, x)]));
        // The seam shows as a faint paler line, enough for a model with context to find.
        if seam[(y, x)] {
            mix(colour, [0.80, 0.62, 0.78], 0.6)
        } else {
            colour
        }
    });
    sample(canvas.develop(rng, 0.55, 0.03), mask)
}

#[cfg(test)]
mod tests {
    use crate::components::{Connectivity, label_mask};
    use crate::data::generate;

    #[test]
    fn touching_nuclei_are_separated_by_seams() {
        let dataset = generate("touching", 0).unwrap();
        // Clusters of touching nuclei would merge into a handful of components without seams.
        let total: usize = dataset
            .train
            .iter()
            .map(|s| label_mask(s.mask.view(), Connectivity::Eight).count)
            .sum();
        assert!(total >= 8 * 8, "only {total} separate nuclei in 8 images");
    }
}
