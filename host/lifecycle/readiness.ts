// What /ready reports: the service answers queries correctly only once the database is open, the
// core is loaded and the state index holds every stored event.
export class Readiness {
  databaseOpen = false;
  coreLoaded = false;
  stateRebuilt = false;
  shuttingDown = false;

  get ready(): boolean {
    return this.databaseOpen && this.coreLoaded && this.stateRebuilt && !this.shuttingDown;
  }

  report(): Record<string, boolean> {
    return {
      ready: this.ready,
      databaseOpen: this.databaseOpen,
      coreLoaded: this.coreLoaded,
      stateRebuilt: this.stateRebuilt,
      shuttingDown: this.shuttingDown,
    };
  }
}
