// V8 settings for Opora's processes, set before the app's modules load: bin/opora.ts imports this
// first. Measured on the intake (docs/performance.md, Intake, "fifth session"); a test checks it holds.
//
// Allocation-site pretenuring off. V8 switches an allocation site to allocating straight in the old
// generation once most of its objects survived young collections, which request-shaped objects do
// while the server starts and warms up; under the intake's steady load the sites stayed switched.
// Each request's objects from such a site then sit in the old generation, and the young objects
// they point to survive scavenges through them until a full collection frees both: at 500
// submissions/s 1.1 MB promoted per scavenge and eight full collections in 12 s, each a stall on
// two cores; with it off 0.5 MB and two.
import { setFlagsFromString } from 'node:v8';

const V8_FLAGS = ['--no-allocation-site-pretenuring'];
for (const flag of V8_FLAGS) setFlagsFromString(flag);
