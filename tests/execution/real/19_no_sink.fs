// Imitates the Object class examples of FlexSim's help, "FlexScript Class Reference: Object"
// (https://docs.flexsim.com/en/24.2/Reference/CodingInFlexSim/FlexScriptAPIReference/FlexScriptClassReference.html?Class=Object).
// Valid FlexScript that builds a line with no sink: items pile up, none leaves the model.
Object src = Object.create("Source");
src.name = "Src";
Object q = Object.create("Queue");
q.name = "Pile";
q.setLocation(5, 0, 0);
contextdragconnection(src, q, "A");
