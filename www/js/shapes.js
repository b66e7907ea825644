// The shapes panel: every tensor of the current configuration, exactly as Keras would print it.

const shape = (dims) => `(${dims.join(', ')})`;

/** `info` comes from the engine's modelShapes(query). */
export function renderShapes(box, info) {
  const table = document.createElement('table');
  table.innerHTML =
    '<thead><tr><th scope="col">Tensor</th><th scope="col">Shape</th><th scope="col">Notes</th></tr></thead>';
  const body = table.createTBody();
  const row = (name, dims, note) => {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = name;
    tr.append(th);
    tr.insertCell().textContent = typeof dims === 'string' ? dims : shape(dims);
    tr.insertCell().textContent = note;
  };
  row('input', info.input, 'RGB, normalised per channel: (x − 0.5) / 0.25');
  for (const layer of info.layers) {
    row(
      `${layer.name} kernel`,
      layer.kernel,
      `Conv2D(${layer.kernel[3]}, ${layer.kernel[0]}, padding="same", dilation_rate=${layer.dilation})`,
    );
    row(`${layer.name} bias`, layer.bias, '');
    row(`${layer.name} output`, layer.activation, layer.relu ? 'after ReLU' : 'logits (linear)');
  }
  row(
    'logits',
    info.logits,
    info.head === 'sigmoid' ? 'sigmoid head: p = σ(logit)' : 'softmax head: [background, object]',
  );
  for (const label of info.labels) row('labels', label.shape, label.note);
  box.replaceChildren(table);
  const facts = document.createElement('p');
  facts.className = 'hint';
  facts.textContent =
    `${info.params.toLocaleString()} parameters · receptive field ${info.receptiveField}×${info.receptiveField} px · ` +
    `${(info.flopsPerStep / 1e9).toFixed(3)} GFLOP per training step (forward + backward, batch ${info.input[0]})`;
  box.append(facts);
}
