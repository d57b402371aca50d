// Imitates the Http.Request class example of FlexSim's help, "FlexScript Class Reference: Http.Request"
// (https://docs.flexsim.com/en/24.2/Reference/CodingInFlexSim/FlexScriptAPIReference/FlexScriptClassReference.html?Class=Http.Request).
// Written for twinforge's tests; no FlexSim code copied.
Http.Request request = Http.Request();
request.method = Http.Method.Get;
request.host = "localhost";
request.port = 8080;
request.url = "/layout";
Http.Response response = request.sendAndWait();
print(response.value);
