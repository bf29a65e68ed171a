export * from "./catalog";
export * from "./dossiers";
export * from "./audit";
export * from "./identity";
export * from "./filing";
export * from "./kiosk";
