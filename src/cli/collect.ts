// The repeatable-option collector of every command. Its own file: `serve` imports only this, not
// common.ts, which brings the token layer, config schema and driver catalogue.
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
