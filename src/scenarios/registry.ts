/**
 * @module The loaded scenarios and which one is active.
 */
import type { ScenarioFile } from './load.js'
import type { Scenario } from './types.js'
import type { WorkflowDefinition } from '../model/workflow-definitions.js'

/** A scenario name the file does not have (the server answers it with a 400). */
export class UnknownScenario extends Error {
  override name = 'UnknownScenario'
}

/** The scenarios an instance knows. */
export class ScenarioRegistry {
  constructor(private file: ScenarioFile) {}

  /** The scenario named `name`; an unknown one throws {@link UnknownScenario} naming the known ones. */
  require(name: string): Scenario {
    const scenario = this.file.scenarios.get(name)
    if (!scenario) {
      throw new UnknownScenario(
        `Unknown scenario "${name}"; known scenarios: ${this.names().join(', ')}`,
      )
    }
    return scenario
  }

  /** The scenario named `name`, if the current file still has it. */
  find(name: string): Scenario | undefined {
    return this.file.scenarios.get(name)
  }

  /** The file's default scenario. */
  get default(): Scenario {
    return this.require(this.file.default)
  }

  /** Every scenario name, in file order. */
  names(): string[] {
    return [...this.file.scenarios.keys()]
  }

  /** Every scenario. */
  list(): Scenario[] {
    return [...this.file.scenarios.values()]
  }

  /** Where the scenarios came from. */
  get path(): string {
    return this.file.path
  }

  /** Workflow definition keys the file configures. */
  definitions(): WorkflowDefinition[] {
    return this.file.workflowDefinitions ?? []
  }

  /** Swaps in a newly loaded file (hot reload). */
  replace(file: ScenarioFile): void {
    this.file = file
  }
}
