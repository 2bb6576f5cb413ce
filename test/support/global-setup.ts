// Runs once before all suites: the shared SoftHSM store every suite reads.
import { sharedSoftHsm } from './softhsm.js';

export default function setup(): void {
  sharedSoftHsm();
}
