// Imitates the Storage.Object class examples of FlexSim's help, "FlexScript Class Reference:
// Storage.Object" (https://docs.flexsim.com/en/24.2/Reference/CodingInFlexSim/FlexScriptAPIReference/FlexScriptClassReference.html?Class=Storage.Object).
// Written for twinforge's tests; no FlexSim code copied.
Object src = Object.create("Source");
src.name = "Pallets";
Object rack = Object.create("Rack");
rack.name = "Rack1";
Storage.Object store = rack;
contextdragconnection(src, rack, "A");
