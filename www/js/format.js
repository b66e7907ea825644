// Small helpers shared by the panels: how numbers read, and saving a file.

/** A fraction as a percentage, with more digits below 1 %: 0.123 → "12.3 %". */
export const percent = (x) => `${(100 * x).toFixed(x < 0.01 ? 2 : 1)} %`;

/** Saves `blob` as a download named `name`. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
