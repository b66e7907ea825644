// The loss presets of the Losses panel; the first is the experiment the page opens on.

export const PRESETS = [
  {
    id: 'classic',
    title: 'The classic question: bce vs inverse-frequency wbce vs dice vs focal',
    losses: ['bce', 'wbce(weights=inverse_frequency)', 'dice', 'focal'],
  },
  {
    id: 'heads',
    title: 'Sigmoid vs softmax head (switch Head below): bce vs ce vs dice',
    losses: ['bce', 'ce', 'dice'],
  },
  {
    id: 'region',
    title: 'Region losses: dice vs generalized dice vs tversky vs lovasz',
    losses: ['dice', 'gdice', 'tversky(alpha=0.3,beta=0.7)', 'lovasz'],
  },
  {
    id: 'combos',
    title: 'Combinations: bce vs dice vs 0.5*bce+0.5*dice vs focal+dice',
    losses: ['bce', 'dice', '0.5*bce+0.5*dice', 'focal+dice'],
  },
];
