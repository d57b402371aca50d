// Imitates the Model.find and setProperty examples of FlexSim's help, "FlexScript Class Reference:
// Object" (https://docs.flexsim.com/en/24.2/Reference/CodingInFlexSim/FlexScriptAPIReference/FlexScriptClassReference.html?Class=Object).
// Written for twinforge's tests; no FlexSim code copied. It changes a model that already exists.
Object queue = Model.find("Queue1");
queue.setProperty("MaxContent", 50);
Object proc = Model.find("Processor1");
proc.setProperty("ProcessTime", 42);
