// Imitates the Object.create example of FlexSim's help, "FlexScript Class Reference: Object"
// (https://docs.flexsim.com/en/24.2/Reference/CodingInFlexSim/FlexScriptAPIReference/FlexScriptClassReference.html?Class=Object),
// with a mistake of the script: the class name is misspelled, so FlexSim finds no such class.
Object src = Object.create("Source");
Object proc = Object.create("Procesor");
contextdragconnection(src, proc, "A");
