// Loading a module at run time. The bin shim compiles the bundle through V8's code cache
// (vm.Script), and code compiled that way has no dynamic-import callback of its own: import()
// there throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING. So the shim hands its own import() in,
// and everything that loads a module late goes through here.
type Importer = (specifier: string) => Promise<unknown>;

let importer: Importer = (specifier) => import(specifier);

export function useImporter(fn: Importer): void {
  importer = fn;
}

export function importLate<T>(specifier: string): Promise<T> {
  return importer(specifier) as Promise<T>;
}
