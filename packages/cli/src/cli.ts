console.log("simcel: not built yet");
