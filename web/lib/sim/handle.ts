// The one place that calls into the simulator for the page: run by the worker (plan.worker.ts) and,
// where workers are unavailable, in the page itself (client.ts). Never throws: a simulator exception
// becomes a `crash` reply so the page can say so and keep the user's text.
import { planLaunch } from '../../../sim/libvirt/index.ts';
import type { SimReply, SimRequest } from './protocol.ts';

export async function handleSimRequest(req: SimRequest): Promise<SimReply> {
  try {
    switch (req.kind) {
      case 'plan':
        return { id: req.id, kind: 'plan', result: planLaunch(req.xml, req.opts) };
      case 'launch-trace': {
        // The whole lab (host kernel, helper, QEMU) is a separate chunk, fetched on the first trace:
        // planning alone, which the page needs at once, stays small and starts fast.
        const { launchTrace } = await import('./launchTrace.ts');
        return { id: req.id, kind: 'launch-trace', result: launchTrace(req.xml, req.opts) };
      }
      case 'compare': {
        const { compareCells } = await import('../compare/compareCells.ts');
        return { id: req.id, kind: 'compare', result: compareCells(req.presetJson) };
      }
      case 'trace-page': {
        const s = await import('./scenarioSession.ts');
        return { id: req.id, kind: 'trace-page', result: s.tracePage(req.session) };
      }
      case 'host-read': {
        const s = await import('./scenarioSession.ts');
        return { id: req.id, kind: 'host-file', result: s.hostRead(req.session, req.path) };
      }
      case 'scenario-open':
      case 'scenario-step':
      case 'scenario-run':
      case 'scenario-restart':
      case 'guest-exec':
      case 'guest-complete':
      case 'guest-upload':
      case 'host-edit': {
        const s = await import('./scenarioSession.ts');
        // The shipped WASI programs for /guests, fetched by the worker on the first open (web/lib/wasi).
        const guests = req.kind === 'scenario-open' && req.guests ? await (await import('../wasi/shippedGuests.ts')).fetchShippedGuests(req.guests) : [];
        const result = req.kind === 'scenario-open' ? s.openScenario(req.presetJson, req.inputs, guests, req.uploads)
          : req.kind === 'guest-exec' ? s.guestExec(req.session, req.line)
          : req.kind === 'guest-complete' ? s.guestComplete(req.session, req.line)
          : req.kind === 'guest-upload' ? s.guestUpload(req.session, req.name, req.bytes)
          : req.kind === 'host-edit' ? s.hostEdit(req.session, req.edit)
          : req.kind === 'scenario-step' ? s.stepScenario(req.session)
          : req.kind === 'scenario-run' ? s.runScenarioToEnd(req.session)
          : s.restartScenario(req.session);
        return { id: req.id, kind: 'scenario', result };
      }
    }
  } catch (e) {
    return { id: req.id, kind: 'crash', message: e instanceof Error ? `${e.message}` : String(e) };
  }
}
