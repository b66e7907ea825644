// The same network, data and initial weights in the frameworks a user would otherwise reach for:
// TF.js 4.22 (cpu and webgl backends; global `tf` from vendor/tf.min.js) and jax-js (wasm and webgl
// devices). Network 3→C→C→1, k×k 'same' convs with ReLU, 1×1 sigmoid head; Adam (lr 0.005);
// loss 0.5·bce + 0.5·soft Dice over the batch. Each trainer's step() finishes only when the new weights
// and the loss are computed (it reads the loss back), like ours.

const LR = 0.005,
  BETA1 = 0.9,
  BETA2 = 0.999,
  EPS = 1e-8,
  SMOOTH = 1;

/** TF.js on `backend` ("cpu" or "webgl"). */
export async function tfjsTrainer(backend, data, init) {
  const tf = globalThis.tf;
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} failed to initialise`);
  await tf.ready();
  const { n, h, w } = data;
  const params = init.flatMap((layer) => [
    tf.variable(tf.tensor(layer.weight, layer.shape)),
    tf.variable(tf.tensor(layer.bias, [layer.shape[3]])),
  ]);
  const x = tf.tensor4d(data.x, [n, h, w, 3]);
  const y = tf.tensor4d(data.y, [n, h, w, 1]);
  const optimizer = tf.train.adam(LR, BETA1, BETA2, EPS);
  const loss = () => {
    let a = x;
    for (let i = 0; i < params.length; i += 2) {
      a = tf.add(tf.conv2d(a, params[i], 1, 'same'), params[i + 1]);
      if (i + 2 < params.length) a = tf.relu(a);
    }
    const bce = tf.losses.sigmoidCrossEntropy(y, a);
    const p = tf.sigmoid(a);
    const dice = tf.sub(
      1,
      tf.div(tf.add(tf.mul(2, tf.sum(tf.mul(p, y))), SMOOTH), tf.add(tf.add(tf.sum(p), tf.sum(y)), SMOOTH)),
    );
    return tf.add(tf.mul(0.5, bce), tf.mul(0.5, dice));
  };
  return {
    async activate() {
      await tf.setBackend(backend);
    },
    step() {
      const cost = optimizer.minimize(loss, true, params);
      const value = cost.dataSync()[0];
      cost.dispose();
      params[params.length - 1].dataSync(); // the last weight Adam wrote
      return value;
    },
  };
}

/** jax-js on `device` ("wasm" or "webgl"): the step is one jit-compiled function of value, grad and Adam. */
export async function jaxTrainer(device, data, init) {
  const jax = await import('../vendor/jax/index.js');
  const { numpy: np, lax, nn } = jax;
  const available = await jax.init(device);
  if (!available.includes(device)) throw new Error(`jax-js device ${device} is not available here`);
  jax.defaultDevice(device);
  const { n, h, w } = data;
  // NHWC → NCHW and HWIO → OIHW: jax-js convolutions take channels-first layouts.
  const nchw = (src, c) => {
    const out = new Float32Array(src.length);
    for (let b = 0; b < n; b++)
      for (let i = 0; i < h * w; i++)
        for (let k = 0; k < c; k++) out[(b * c + k) * h * w + i] = src[(b * h * w + i) * c + k];
    return np.array(out).reshape([n, c, h, w]);
  };
  const oihw = ({ weight, shape: [kh, kw, ci, co] }) => {
    const out = new Float32Array(weight.length);
    for (let y = 0; y < kh; y++)
      for (let xx = 0; xx < kw; xx++)
        for (let i = 0; i < ci; i++)
          for (let o = 0; o < co; o++)
            out[((o * ci + i) * kh + y) * kw + xx] = weight[((y * kw + xx) * ci + i) * co + o];
    return np.array(out).reshape([co, ci, kh, kw]);
  };
  let params = init.map((layer) => ({ w: oihw(layer), b: np.array(layer.bias).reshape([1, layer.shape[3], 1, 1]) }));
  let m = init.map((layer) => ({
    w: np.zeros([layer.shape[3], layer.shape[2], layer.shape[0], layer.shape[1]]),
    b: np.zeros([1, layer.shape[3], 1, 1]),
  }));
  let v = init.map((layer) => ({
    w: np.zeros([layer.shape[3], layer.shape[2], layer.shape[0], layer.shape[1]]),
    b: np.zeros([1, layer.shape[3], 1, 1]),
  }));
  const x = nchw(data.x, 3),
    y = nchw(data.y, 1);

  const lossFn = (p, x, y) => {
    let a = x;
    p.forEach((layer, i) => {
      a = lax.conv(a, layer.w, [1, 1], 'SAME').add(layer.b);
      if (i + 1 < p.length) a = nn.relu(a);
    });
    // bce = mean(relu(z) − z·y + log(1 + exp(−|z|)))
    const bce = np.mean(
      nn
        .relu(a.ref)
        .sub(a.ref.mul(y.ref))
        .add(np.log1p(np.exp(np.negative(np.abs(a.ref))))),
    );
    const prob = nn.sigmoid(a);
    const inter = np.sum(prob.ref.mul(y.ref));
    const dice = np.subtract(
      1,
      inter
        .mul(2)
        .add(SMOOTH)
        .div(np.sum(prob).add(np.sum(y)).add(SMOOTH)),
    );
    return bce.mul(0.5).add(dice.mul(0.5));
  };
  const trainStep = jax.jit((p, m, v, lrT, x, y) => {
    const [value, g] = jax.valueAndGrad(lossFn)(jax.tree.ref(p), x, y);
    const m2 = jax.tree.map((mi, gi) => mi.mul(BETA1).add(gi.mul(1 - BETA1)), m, jax.tree.ref(g));
    const v2 = jax.tree.map((vi, gi) => vi.mul(BETA2).add(gi.ref.mul(gi).mul(1 - BETA2)), v, g);
    const p2 = jax.tree.map(
      (pi, mi, vi) => pi.sub(mi.mul(lrT.ref).div(np.sqrt(vi).add(EPS))),
      p,
      jax.tree.ref(m2),
      jax.tree.ref(v2),
    );
    lrT.dispose();
    return [value, p2, m2, v2];
  });
  let t = 0;
  return {
    async activate() {
      jax.defaultDevice(device);
    },
    async step() {
      t += 1;
      const lrT = np.array((LR * Math.sqrt(1 - BETA2 ** t)) / (1 - BETA1 ** t));
      const [value, p2, m2, v2] = trainStep(params, m, v, lrT, x.ref, y.ref);
      params = p2;
      m = m2;
      v = v2;
      await jax.blockUntilReady([params, m, v]); // jit may leave work pending; a step ends with new weights
      return (await value.data())[0];
    },
  };
}
