export * from "./catalog";
export * from "./dossiers";
