// Preloaded (`--import`) into the engine host by the fault suite: the rollout whose name contains
// $SPOOL_FAULT_VANISH is deleted the moment a parse worker opens it for reading, so it vanishes
// between the walk that found it and the read — deterministically, without touching Spool's code.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const victim = process.env['SPOOL_FAULT_VANISH'];
if (victim) {
  const open = fs.openSync;
  (fs as unknown as Record<string, unknown>)['openSync'] = (p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode): number => {
    if (String(p).includes(victim) && (flags === undefined || flags === 'r' || flags === fs.constants.O_RDONLY))
      fs.rmSync(p, { force: true });
    return open(p, flags ?? 'r', mode);
  };
  syncBuiltinESMExports();
}
