import { LightningElement } from "lwc";
export default class Hello extends LightningElement {}
