// The one place that calls into the simulator for the page: run by the worker (plan.worker.ts) and,
// where workers are unavailable, in the page itself (client.ts). Never throws: a simulator exception
// becomes a `crash` reply so the page can say so and keep the user's text.
import { planLaunch } from '../../../sim/libvirt/index.ts';
import type { SimReply, SimRequest } from './protocol.ts';

export function handleSimRequest(req: SimRequest): SimReply {
  try {
    switch (req.kind) {
      case 'plan':
        return { id: req.id, kind: 'plan', result: planLaunch(req.xml, req.opts) };
    }
  } catch (e) {
    return { id: req.id, kind: 'crash', message: e instanceof Error ? `${e.message}` : String(e) };
  }
}
