it("is not deployed", () => {});
