console.log("vigil");
