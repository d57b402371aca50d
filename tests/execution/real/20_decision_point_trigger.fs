// Imitates the Conveyor.Item and Conveyor.DecisionPoint examples of FlexSim's help, "FlexScript Class
// Reference: Conveyor.DecisionPoint" (https://docs.flexsim.com/en/24.2/Reference/CodingInFlexSim/FlexScriptAPIReference/FlexScriptClassReference.html?Class=Conveyor.DecisionPoint).
// Written for twinforge's tests; no FlexSim code copied. This is the code of a decision point's trigger.
Conveyor.DecisionPoint dp = current;
Conveyor conveyor = dp.conveyor;
Conveyor.Item convItem = conveyor.itemData[item];
if (convItem.position > 2) {
    Conveyor.sendItem(item, dp.outObjects[1]);
}
